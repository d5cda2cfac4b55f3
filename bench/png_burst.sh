#!/usr/bin/env bash
# Uncached PNG load (issue 15): GET /logo/ultimate/power.png?size=256 with a new seed per request,
# at 32, 128 and 256 connections, against a release lunad with its default render queue budget
# and rate limits lifted; then lunad's RSS. Needs wrk and curl.
#
#   DURATION=10 bench/png_burst.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export WRK_LIB="$PWD/bench/wrk"
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "png_burst.sh needs $tool" >&2; exit 69; }
done
. bench/lib.sh
mkdir -m 700 "$work/run"

cargo build --release --quiet --bin lunad
port=$(free_port)
cat > "$work/lunad.toml" <<EOF2
[http]
listen = "127.0.0.1:$port"
[http.rate_limits]
logo = 0
default = 0
EOF2
RUST_LOG=warn ./target/release/lunad --socket "$work/run/ctl.sock" --data-dir "$work/data" --config "$work/lunad.toml" 2>"$work/lunad.log" &
lunad_pid=$!
pids+=("$lunad_pid")
wait_http "http://127.0.0.1:$port/health"
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$lunad_pid/status"; }

echo "wrk: $THREADS threads, ${DURATION}s per row; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); idle RSS $(rss)"
echo
echo "| connections | req/s | p50 ms | p99 ms | 503s | other errors | RSS as wrk ends | RSS 0.5 s later |"
echo "|---|---|---|---|---|---|---|---|"
for connections in 32 128 256; do
  result=$(wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s --latency -s "$WRK_LIB/png_uncached.lua" "http://127.0.0.1:$port/" | tail -n 1)
  at_once=$(rss)
  sleep 0.5
  python3 - "$connections" "$result" "$at_once" "$(rss)" <<'PY'
import json, sys
connections, r, at_once, later = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
print(f"| {connections} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['socket_errors']} | {at_once} | {later} |")
PY
done
sleep 12
echo
echo "RSS after 12 s idle: $(rss)"
