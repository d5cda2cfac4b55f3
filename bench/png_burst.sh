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
. bench/lib.sh
require wrk curl python3
start_lunad
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$luna_pid/status"; }

echo "wrk: $THREADS threads, ${DURATION}s per row; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); idle RSS $(rss)"
echo
echo "| connections | req/s | p50 ms | p99 ms | 503s | other errors | RSS as wrk ends | RSS 0.5 s later |"
echo "|---|---|---|---|---|---|---|---|"
for connections in 32 128 256; do
  result=$(wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s --latency -s "$WRK_LIB/png_uncached.lua" "$luna/" | tail -n 1)
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
