#!/usr/bin/env bash
# Uncached 256 px PNGs over HTTP, a new seed per request (issue 16): luna's /logo/... for its
# slowest styles beside DiceBear's PNG paths, side by side in one run on one machine.
#
#   DURATION=10 CONNECTIONS=32 bench/png_vs_dicebear.sh
#   DICEBEAR_STYLES="identicon pixelArt rings" bench/png_vs_dicebear.sh   # other DiceBear styles
#
# DiceBear (@dicebear/core, collection and converter 9.4, which draws with resvg-js) is installed
# from the npm registry into a temporary directory and served by a small Node server with one
# worker per core (cluster), so it gets both cores as lunad does. Its paths, for two of its
# simplest styles: the converter's toPng() as documented; toPng() with `fonts: []`, which skips
# loading the system fonts on every call; and the avatar's SVG handed straight to resvg-js's
# synchronous renderer with no fonts, the converter's own renderer without its overhead (the
# fastest we found). That last one is our bypass, not a path DiceBear offers: its own HTTP API
# (dicebear/api, src/handler/avatar.ts) makes PNGs with the converter. The summary gives both
# ratios.
# luna's rate limits are lifted. Needs wrk, node, npm and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRK_LIB="$PWD/bench/wrk"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
. bench/lib.sh
require wrk node npm curl python3
start_lunad

mkdir "$work/dicebear"
(cd "$work/dicebear" && npm install --silent --no-audit --no-fund \
  @dicebear/core@9.4 @dicebear/collection@9.4 @dicebear/converter@9.4 >/dev/null)
cat > "$work/dicebear/server.mjs" <<'EOF2'
import cluster from 'node:cluster';
import http from 'node:http';
import os from 'node:os';
import { createAvatar } from '@dicebear/core';
import * as collection from '@dicebear/collection';
import { toPng } from '@dicebear/converter';
import { Resvg } from '@resvg/resvg-js';

if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
} else {
  http.createServer(async (req, res) => {
    // /{style}/{documented|nofonts|resvg}?seed=N
    const url = new URL(req.url, 'http://localhost');
    const [, style, path] = url.pathname.split('/');
    const avatar = createAvatar(collection[style], { seed: url.searchParams.get('seed'), size: 256 });
    let png;
    if (path === 'resvg') {
      const fit = { fitTo: { mode: 'width', value: 256 }, font: { loadSystemFonts: false } };
      png = new Resvg(avatar.toString(), fit).render().asPng();
    } else {
      const options = path === 'nofonts' ? { fonts: [] } : {};
      png = Buffer.from(await toPng(avatar, options).toArrayBuffer());
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    res.end(png);
  }).listen(Number(process.env.PORT), '127.0.0.1');
}
EOF2
dicebear_port=$(free_port)
(cd "$work/dicebear" && PORT=$dicebear_port exec node server.mjs) &
pids+=($!)
wait_http "http://127.0.0.1:$dicebear_port/shapes/nofonts?seed=1"

run() { # NAME BASE PATH
  PNG_PATH="$3" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$WRK_LIB/png_uncached.lua" "$2/" | tail -n 1 > "$work/$1.json"
  python3 - "$1" "$work/$1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
print(f"| {sys.argv[1]} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} |")
PY
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per row; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| server and path | req/s | p50 ms | p99 ms | non-2xx |"
echo "|---|---|---|---|---|"
dicebear="http://127.0.0.1:$dicebear_port"
for style in ai_moon ultimate; do
  run "luna $style" "$luna" "/logo/$style/power.png?size=256&seed="
done
for style in ${DICEBEAR_STYLES:-shapes identicon}; do
  for path in documented nofonts resvg; do
    run "dicebear $style $path" "$dicebear" "/$style/$path?seed="
  done
done
python3 - "$work" <<'PY'
import glob, json, os, sys
rps = {os.path.basename(f)[:-5]: json.load(open(f))["rps"] for f in glob.glob(sys.argv[1] + "/*.json")}
slowest = min(v for k, v in rps.items() if k.startswith("luna"))
# DiceBear's own PNG path is its converter (its HTTP API calls it too); "resvg" is our
# bypass of it, reported apart.
own = max(v for k, v in rps.items() if k.startswith("dicebear") and not k.endswith("resvg"))
bypass = max(v for k, v in rps.items() if k.endswith("resvg"))
print(f"\nluna's slowest style / DiceBear's fastest PNG path (converter): {slowest:.0f} / {own:.0f} = {slowest / own:.1f}x")
print(f"luna's slowest style / DiceBear's SVG through resvg-js (bypass): {slowest:.0f} / {bypass:.0f} = {slowest / bypass:.1f}x")
PY
