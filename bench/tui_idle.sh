#!/usr/bin/env bash
# Idle cost of `luna tui`: bytes written to the terminal and CPU used while nothing happens.
#   bench/tui_idle.sh            # 30 s idle
#   bench/tui_idle.sh 20         # 20 s idle
#   LUNA_BIN_DIR=target/debug bench/tui_idle.sh
# Starts lunad on a private socket and `luna tui` in a detached 160x48 tmux session (private
# server, socket in a temp dir), waits until the first preview is drawn, then records every
# byte the TUI writes (tmux pipe-pane) and its CPU ticks (/proc/PID/stat) over the idle window.
# lunad sends a heartbeat every 15 s; the TUI must not redraw for it. Exits 1 when the TUI wrote
# anything while idle, so it doubles as a check. Uses prebuilt binaries (cargo build --release
# first); needs tmux.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${LUNA_BIN_DIR:-$root/target/release}
idle=${1:-30}
case "$idle" in '' | *[!0-9]*) echo "usage: bench/tui_idle.sh [IDLE_SECONDS]" >&2; exit 64 ;; esac
command -v tmux >/dev/null || { echo "tui_idle.sh needs tmux (apt-get install tmux)" >&2; exit 69; }
for b in luna lunad; do
  [ -x "$bin/$b" ] || { echo "no $bin/$b: cargo build --release, or set LUNA_BIN_DIR" >&2; exit 69; }
done
bin=$(cd "$bin" && pwd)
"$bin/luna" tui --help >/dev/null 2>&1 || { echo "$bin/luna has no 'tui' subcommand (stale build?)" >&2; exit 69; }

sleeper=""
tui_session_extra_cleanup() { if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null || true; fi; }
# shellcheck source=bench/tui_session.sh
. "$root/bench/tui_session.sh"
tui_session_start 160 48
pane_pid=$("${tm[@]}" list-panes -t tui -F '#{pane_pid}')
pid=$pane_pid
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != luna ]; then # a wrapper after all: take its luna child
  pid=$(pgrep -P "$pane_pid" -x luna | head -n 1) || { echo "no luna process under pane pid $pane_pid" >&2; exit 70; }
fi

sleep 2

ticks() { local stat; stat=$(<"/proc/$1/stat"); stat=${stat##*) }; awk '{print $12 + $13}' <<<"$stat"; }
out="$dir/pane.bytes"
: >"$out"
"${tm[@]}" pipe-pane -o -t tui "cat >> '$out'"
t0=$(ticks "$pid")
d0=$(ticks "$lunad_pid")
start=$(date +%s.%N)
sleep "$idle" & # waited for in the background, so a signal ends the wait at once
sleeper=$!
wait "$sleeper"
sleeper=""
t1=$(ticks "$pid")
d1=$(ticks "$lunad_pid")
end=$(date +%s.%N)
"${tm[@]}" pipe-pane -t tui # closes the pipe; give cat a moment to flush
sleep 0.2
bytes=$(stat -c %s "$out")
hwm=$(awk '/^VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$pid/status")

awk -v s="$start" -v e="$end" -v t="$((t1 - t0))" -v d="$((d1 - d0))" -v hz="$(getconf CLK_TCK)" \
  -v b="$bytes" -v h="$hwm" -v p="$pid" 'BEGIN {
  secs = e - s
  printf "luna tui (pid %d), 160x48, idle %.1f s\n", p, secs
  printf "bytes written to the terminal: %d\n", b
  printf "CPU: %.2f s (%d ticks at %d Hz), %.3f %%\n", t / hz, t, hz, t / hz / secs * 100
  printf "peak RSS (VmHWM): %s\n", h
  printf "lunad CPU over the same window: %.2f s, %.3f %%\n", d / hz, d / hz / secs * 100
}'
if [ "$bytes" -gt 0 ]; then
  echo "FAIL: the idle TUI redrew; first bytes written:" >&2
  head -c 256 "$out" | od -c | head -n 20 >&2
  exit 1
fi
