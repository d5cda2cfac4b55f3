#!/usr/bin/env bash
# HTTP load benchmark (wrk + Lua, loopback only). Measures luna and, in the same run, any other
# servers given by base URL, plus nginx serving a static file as the ceiling.
#
#   bench/http_load.sh                                # luna (started here) + nginx static
#   bench/http_load.sh --original http://127.0.0.1:8001   # also a server started by hand
#   DURATION=10 CONNECTIONS=32 bench/http_load.sh
#
# luna is started from a release build with its rate limits lifted (a load test measures
# capacity, not the limiter). A server given with --original must have its limiter raised by
# whoever started it. Needs wrk and nginx (apt-get install wrk nginx). Results are printed as a
# Markdown table; copy them into docs/PERFORMANCE.md with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRK_LIB="$PWD/bench/wrk"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
original=""
while [ $# -gt 0 ]; do
  case "$1" in
    --original) original="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
. bench/lib.sh
require wrk nginx curl
start_lunad

# nginx serving the very SVG luna serves for the cached-logo scenario: the static-file ceiling.
nginx_port=$(free_port)
mkdir -p "$work/nginx/html" "$work/nginx/logs"
curl -sf "$luna/logo/simple/serenity.svg" -o "$work/nginx/html/serenity.svg"
{ nginx_conf_head auto; cat <<EOF
  types { image/svg+xml svg; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    location / { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
EOF
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/logs/stderr" &
pids+=($!)
nginx="http://127.0.0.1:$nginx_port"
wait_http "$nginx/serenity.svg"

run() { # label script url [connections]
  local result
  result=$(wrk -t"$THREADS" -c"${4:-$CONNECTIONS}" -d"${DURATION}s" --latency -s "$WRK_LIB/$2" "$3" | tail -n 1)
  python3 - "$1" "$result" <<'PY'
import json, sys
label, r = sys.argv[1], json.loads(sys.argv[2])
print(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors'] + r['socket_errors']} |")
PY
}
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$luna_pid/status"; }

echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per row; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| scenario | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
run "nginx static file (ceiling)" get.lua "$nginx/serenity.svg"
run "luna GET /logo/simple/serenity.svg (cached)" get.lua "$luna/logo/simple/serenity.svg"
run "luna GET /health" get.lua "$luna/health"
run "luna POST /generate (serenity, simple, 200)" generate.lua "$luna/generate"
if [ -n "$original" ]; then
  run "original GET /health" get.lua "$original/health"
  run "original POST /generate (serenity, simple, 200)" generate.lua "$original/generate"
fi
echo
echo "lunad RSS after the rows above: $(rss)"
echo
echo "The original's load profile (scenario weights; its 50/100/200/500/50 req/s phases scaled to"
echo "closed-loop connection counts 2/4/8/16/2 on this machine):"
echo
echo "| phase | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
for phase in "warm-up:2" "load:4" "stress:8" "peak:16" "cool-down:2"; do
  run "luna ${phase%%:*} (${phase##*:} connections)" profile.lua "$luna" "${phase##*:}"
done
echo
echo "lunad RSS after the profile: $(rss)"
