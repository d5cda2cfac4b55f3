#!/usr/bin/env bash
# A picture of `luna tui` for the README: docs/tui.png.
#   bench/tui_screenshot.sh              # the TUI as it starts (serenity, simple)
#   bench/tui_screenshot.sh j            # keys (tmux key names) sent before the shot: next variant
#   bench/tui_screenshot.sh j Tab j      # next variant, styles pane, next style
#   OUT=/tmp/tui.png SCALE=2 LUNA_BIN_DIR=target/debug bench/tui_screenshot.sh
# Starts lunad on a private socket and `luna tui` in a detached 140x42 tmux session (private
# server, TERM=xterm-256color, COLORTERM=truecolor), waits for the first preview, captures the
# screen with its colours (capture-pane -e), turns the cells into an HTML page (inline Python
# below: each cell a fixed 9x18 px box; half blocks and box lines drawn as CSS rectangles so
# they tile without gaps) and renders that with headless Chromium. Everything stays local:
# the page is a file and Chromium's resolver is told to resolve nothing. SCALE is the device
# pixel ratio (default 1). Uses prebuilt binaries (cargo build --release first); needs tmux,
# python3 and chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${LUNA_BIN_DIR:-$root/target/release}
out=${OUT:-$root/docs/tui.png}
scale=${SCALE:-1}
cols=140 rows=42 cell_w=9 cell_h=18 pad=16
die() { echo "tui_screenshot.sh: $*" >&2; exit 69; }
command -v tmux >/dev/null || die "needs tmux (apt-get install tmux)"
command -v python3 >/dev/null || die "needs python3"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ] || ! command -v "$chromium" >/dev/null; then
  die "needs chromium (apt-get install chromium), or CHROMIUM=/path/to/chrome"
fi
for b in luna lunad; do
  [ -x "$bin/$b" ] || die "no $bin/$b: cargo build --release, or set LUNA_BIN_DIR"
done
bin=$(cd "$bin" && pwd)
"$bin/luna" tui --help >/dev/null 2>&1 || die "$bin/luna has no 'tui' subcommand (stale build?)"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"

# shellcheck source=bench/tui_session.sh
. "$root/bench/tui_session.sh"
tui_session_start "$cols" "$rows" TERM=xterm-256color COLORTERM=truecolor
for key in "$@"; do
  "${tm[@]}" send-keys -t tui "$key"
  sleep 0.2
done
if [ $# -gt 0 ]; then sleep 1; wait_loaded; fi
sleep 0.5
# -e: colours and attributes as SGR; -N: keep trailing spaces (they may carry a background).
"${tm[@]}" capture-pane -p -e -N -t tui >"$dir/screen.ans"

python3 - "$dir/screen.ans" "$dir/screen.html" "$cols" "$rows" "$cell_w" "$cell_h" "$pad" <<'PY'
import html, re, sys, unicodedata

src, dst = sys.argv[1], sys.argv[2]
COLS, ROWS, CW, CH, PAD = map(int, sys.argv[3:8])
FG, BG = (0xC9, 0xD1, 0xD9), (0x0D, 0x11, 0x17)  # default foreground / background
# The 16 ANSI colours (GitHub dark terminal palette), then xterm's 6x6x6 cube and grey ramp.
BASIC = ["484f58", "ff7b72", "3fb950", "d29922", "58a6ff", "bc8cff", "39c5cf", "b1bac4",
         "6e7681", "ffa198", "56d364", "e3b341", "79c0ff", "d2a8ff", "56d4dd", "f0f6fc"]
PALETTE = [tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) for h in BASIC]
LEVELS = [0, 95, 135, 175, 215, 255]
PALETTE += [(LEVELS[i // 36], LEVELS[i // 6 % 6], LEVELS[i % 6]) for i in range(216)]
PALETTE += [(8 + 10 * i,) * 3 for i in range(24)]


class Pen:
    def __init__(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False
        self.hidden = self.strike = False

    def key(self):
        return (self.fg, self.bg, self.bold, self.dim, self.italic, self.underline,
                self.reverse, self.hidden, self.strike)


def extended(params, i):
    """38/48/58 ;5;n or ;2;r;g;b starting at params[i]; returns (colour, next index)."""
    if i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
        return PALETTE[params[i + 2] % 256], i + 3
    if i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
        return tuple(min(v, 255) for v in params[i + 2:i + 5]), i + 5
    return None, len(params)


def sgr(pen, text):
    tokens = text.split(";") if text else ["0"]
    params, i = [], 0
    for tok in tokens:
        if ":" in tok:  # colon sub-parameters: 38:2::r:g:b, 38:5:n, 4:3
            sub = [int(x) if x else 0 for x in tok.split(":")]
            if sub[0] in (38, 48, 58) and len(sub) >= 3:
                if sub[1] == 5:
                    colour = PALETTE[sub[2] % 256]
                else:
                    colour = tuple(min(v, 255) for v in sub[-3:])
                if sub[0] == 38:
                    pen.fg = colour
                elif sub[0] == 48:
                    pen.bg = colour
            elif sub[0] == 4:
                pen.underline = len(sub) < 2 or sub[1] != 0
            continue
        params.append(int(tok) if tok else 0)
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            pen.__init__()
        elif p == 1:
            pen.bold = True
        elif p == 2:
            pen.dim = True
        elif p == 3:
            pen.italic = True
        elif p in (4, 21):
            pen.underline = True
        elif p == 7:
            pen.reverse = True
        elif p == 8:
            pen.hidden = True
        elif p == 9:
            pen.strike = True
        elif p == 22:
            pen.bold = pen.dim = False
        elif p == 23:
            pen.italic = False
        elif p == 24:
            pen.underline = False
        elif p == 27:
            pen.reverse = False
        elif p == 28:
            pen.hidden = False
        elif p == 29:
            pen.strike = False
        elif 30 <= p <= 37:
            pen.fg = PALETTE[p - 30]
        elif 90 <= p <= 97:
            pen.fg = PALETTE[p - 90 + 8]
        elif 40 <= p <= 47:
            pen.bg = PALETTE[p - 40]
        elif 100 <= p <= 107:
            pen.bg = PALETTE[p - 100 + 8]
        elif p == 39:
            pen.fg = None
        elif p == 49:
            pen.bg = None
        elif p in (38, 48, 58):
            colour, i = extended(params, i - 1)
            if p == 38:
                pen.fg = colour
            elif p == 48:
                pen.bg = colour
        # 5, 25, 53, 55, 59 (blink, overline, underline colour reset): nothing to draw


ESC = re.compile(r"\x1b\[([0-9;:]*)m|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                 r"|\x1b[()][0-9A-Za-z]|\x1b.|[\x00-\x08\x0b-\x1f\x7f]")


def parse(data):
    """The screen as rows of [char, pen key, width] cells; the pen carries over line ends."""
    pen, grid = Pen(), []
    for line in data.split("\n")[:ROWS]:
        row, pos = [], 0
        for m in ESC.finditer(line + "\x1b[Z"):  # sentinel match flushes the tail
            for ch in line[pos:m.start()]:
                if unicodedata.combining(ch) or ch in "\u200d\ufe0e\ufe0f":
                    if row:
                        row[-1][0] += ch
                    continue
                wide = unicodedata.east_asian_width(ch) in "WF"
                row.append([ch, pen.key(), 2 if wide else 1])
            pos = m.end()
            if m.group(1) is not None:
                sgr(pen, m.group(1))
        used = sum(c[2] for c in row)
        row += [[" ", pen.key(), 1] for _ in range(max(0, COLS - used))]
        grid.append(row)
    grid += [[[" ", Pen().key(), 1] for _ in range(COLS)] for _ in range(ROWS - len(grid))]
    return grid


def mix(a, b, t):  # a blended toward b by t
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def css(c):
    return "#%02x%02x%02x" % c


def rect(colour, x, y, w, h):
    return f"linear-gradient({colour},{colour}) {x}px {y}px/{w}px {h}px no-repeat"


# Box drawing: arms (up, right, down, left), 1 light, 2 heavy, 3 double.
BOX = {}
for chars, w in (("─│┌┐└┘├┤┬┴┼", 1), ("━┃┏┓┗┛┣┫┳┻╋", 2), ("═║╔╗╚╝╠╣╦╩╬", 3)):
    shapes = [(0, 1, 0, 1), (1, 0, 1, 0), (0, 1, 1, 0), (0, 0, 1, 1), (1, 1, 0, 0), (1, 0, 0, 1),
              (1, 1, 1, 0), (1, 0, 1, 1), (0, 1, 1, 1), (1, 1, 0, 1), (1, 1, 1, 1)]
    for ch, arms in zip(chars, shapes):
        BOX[ch] = tuple(a * w for a in arms)
for ch, arms in zip("╭╮╰╯╴╵╶╷", [(0, 1, 1, 0), (0, 0, 1, 1), (1, 1, 0, 0), (1, 0, 0, 1),
                                 (0, 0, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0)]):
    BOX[ch] = arms


def box_layers(arms, colour, w, h):
    cx, cy, layers = w // 2, h // 2 - 1, []
    up, right, down, left = arms
    for weight, lines in ((up, "u"), (right, "r"), (down, "d"), (left, "l")):
        if not weight:
            continue
        t = 2 if weight == 2 else 1
        offsets = (-1, 1) if weight == 3 else (-(t // 2),)
        for o in offsets:
            x0, y0 = cx + o, cy + o
            if lines == "u":
                layers.append(rect(colour, x0, 0, t, y0 + t))
            elif lines == "d":
                layers.append(rect(colour, x0, y0, t, h - y0))
            elif lines == "l":
                layers.append(rect(colour, 0, y0, x0 + t, t))
            else:
                layers.append(rect(colour, x0, y0, w - x0, t))
    return layers


def cell_style(ch, key, width):
    fg, bg, bold, dim, italic, underline, reverse, hidden, strike = key
    fg, bg = fg or FG, bg or BG
    if reverse:
        fg, bg = bg, fg
    if dim:
        fg = mix(fg, bg, 0.4)
    if hidden:
        fg = bg
    w = CW * width
    props, text = [f"width:{w}px"], ""
    if width == 2:  # wide cells are mostly emoji: draw them as a terminal's emoji font would
        props.append('font-family:"Noto Color Emoji","DejaVu Sans Mono",monospace')
    o = ord(ch[0]) if ch else 32
    if ch == "▀":
        props.append(f"background:linear-gradient({css(fg)} 50%,{css(bg)} 50%)")
    elif ch == "▄":
        props.append(f"background:linear-gradient({css(bg)} 50%,{css(fg)} 50%)")
    elif ch == "▌":
        props.append(f"background:linear-gradient(90deg,{css(fg)} 50%,{css(bg)} 50%)")
    elif ch == "▐":
        props.append(f"background:linear-gradient(90deg,{css(bg)} 50%,{css(fg)} 50%)")
    elif 0x2581 <= o <= 0x2588:  # lower eighths, full block
        p = (o - 0x2580) * 12.5
        props.append(f"background:linear-gradient(0deg,{css(fg)} {p}%,{css(bg)} {p}%)")
    elif 0x2589 <= o <= 0x258F:  # left eighths
        p = (0x2590 - o) * 12.5
        props.append(f"background:linear-gradient(90deg,{css(fg)} {p}%,{css(bg)} {p}%)")
    elif ch == "▔":
        props.append(f"background:linear-gradient({css(fg)} 12.5%,{css(bg)} 12.5%)")
    elif ch == "▕":
        props.append(f"background:linear-gradient(90deg,{css(bg)} 87.5%,{css(fg)} 87.5%)")
    elif 0x2591 <= o <= 0x2593:  # shades
        props.append(f"background:{css(mix(bg, fg, (o - 0x2590) * 0.25))}")
    elif ch in BOX:
        layers = box_layers(BOX[ch], css(fg), w, CH)
        props.append(f"background:{','.join(layers)},{css(bg)}")
    else:
        props.append(f"background:{css(bg)}")
        if ch.strip():
            text = ch
            props.append(f"color:{css(fg)}")
            if bold:
                props.append("font-weight:bold")
            if italic:
                props.append("font-style:italic")
            deco = [d for d, on in (("underline", underline), ("line-through", strike)) if on]
            if deco:
                props.append("text-decoration:" + " ".join(deco))
    return ";".join(props), text


classes, rows_html = {}, []
with open(src, encoding="utf-8", errors="replace") as f:
    grid = parse(f.read())
for row in grid:
    cells, used = [], 0
    for ch, key, width in row:
        if used + width > COLS:
            break
        used += width
        style, text = cell_style(ch, key, width)
        name = classes.setdefault(style, f"c{len(classes)}")
        cells.append(f'<i class="{name}">{html.escape(text)}</i>')
    rows_html.append("<div>" + "".join(cells) + "</div>")
rules = "\n".join(f".{n}{{{s}}}" for s, n in classes.items())
page = f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; background: {css(BG)}; overflow: hidden; }}
#t {{ position: absolute; left: {PAD}px; top: {PAD}px; width: {COLS * CW}px;
  font: {CH * 15 // 18}px/{CH}px "DejaVu Sans Mono", monospace; color: {css(FG)};
  font-variant-ligatures: none; -webkit-font-smoothing: antialiased; }}
#t div {{ display: flex; height: {CH}px; }}
#t i {{ display: block; flex: none; height: {CH}px; font-style: normal; text-align: center;
  white-space: pre; overflow: visible; }}
{rules}
</style></head><body><div id="t">
{chr(10).join(rows_html)}
</div></body></html>
"""
with open(dst, "w", encoding="utf-8") as f:
    f.write(page)
PY

width=$((cols * cell_w + 2 * pad)) height=$((rows * cell_h + 2 * pad))
# Local only: no background services, and the resolver maps every host name to nothing.
timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$dir/chromium" --no-first-run --no-default-browser-check \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-extensions --disable-default-apps --disable-breakpad --disable-domain-reliability \
  --metrics-recording-only --host-resolver-rules="MAP * ~NOTFOUND" \
  --force-device-scale-factor="$scale" --window-size="$width,$height" \
  --screenshot="$dir/tui.png" "file://$dir/screen.html" >"$dir/chromium.log" 2>&1 || true
[ -s "$dir/tui.png" ] || { echo "chromium wrote no screenshot; its output:" >&2; cat "$dir/chromium.log" >&2; exit 70; }
mv -f "$dir/tui.png" "$out"
echo "$out"
