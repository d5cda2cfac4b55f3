#!/usr/bin/env bash
# Fleet benchmark (issue 13), all in one run on loopback: POST /generate throughput and latency
# with the embedded store, with Redis on one replica, and with Redis on two replicas behind
# nginx (round-robin); the extra latency of a Redis round trip; and the time a replica takes to
# redraw a stored file it lacks.
#
#   bench/fleet_load.sh                      # DURATION=10 CONNECTIONS=32 by default
#   BASELINE_LUNAD=/path/to/old/lunad bench/fleet_load.sh   # adds a sled row for another build
#
# Needs wrk, nginx, redis-server (with redis-benchmark) and curl: apt-get install wrk nginx
# redis-server curl. Redis runs as the compose file runs it: a password, appendonly yes,
# appendfsync always (every acknowledged write is on disk). lunad runs from a release build
# with its rate limits lifted (a load test measures capacity, not the limiter). Results are
# printed as Markdown; copy them into docs/PERFORMANCE.md with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRK_LIB="$PWD/bench/wrk"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
for tool in wrk nginx redis-server redis-benchmark curl python3; do
  command -v "$tool" >/dev/null || { echo "fleet_load.sh needs $tool" >&2; exit 69; }
done

. bench/lib.sh

cargo build --release --quiet --bin lunad

export LUNA_REDIS_PASSWORD
LUNA_REDIS_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
redis_port=$(free_port)
mkdir -p "$work/redis"
# The password reaches redis-server on stdin, not its command line.
printf 'port %s\nbind 127.0.0.1\nrequirepass %s\nappendonly yes\nappendfsync always\nsave ""\ndir %s\n' \
  "$redis_port" "$LUNA_REDIS_PASSWORD" "$work/redis" | redis-server - >"$work/redis/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" --no-auth-warning -a "$LUNA_REDIS_PASSWORD" ping >/dev/null 2>&1 && break; sleep 0.05; done

# lunad NAME STORE [BINARY]: a release lunad on a free port, limits lifted; sets $url.
lunad() {
  local name=$1 store=$2 binary=${3:-./target/release/lunad} port
  port=$(free_port)
  mkdir -m 700 -p "$work/$name/run"
  cat > "$work/$name/lunad.toml" <<EOF
[http]
listen = "127.0.0.1:$port"
[http.rate_limits]
generate = 0
logo = 0
download = 0
default = 0
EOF
  local store_args=()
  [ "$store" = redis ] && store_args=(--store "redis://127.0.0.1:$redis_port" --replica "$name")
  RUST_LOG=warn "$binary" --socket "$work/$name/run/ctl.sock" --data-dir "$work/$name/data" \
    --config "$work/$name/lunad.toml" "${store_args[@]}" >/dev/null 2>"$work/$name/lunad.log" &
  pids+=($!)
  url="http://127.0.0.1:$port"
  wait_http "$url/health"
}

lunad embedded sled; sled=$url
baseline=""
if [ -n "${BASELINE_LUNAD:-}" ]; then lunad baseline sled "$BASELINE_LUNAD"; baseline=$url; fi
lunad replica-a redis; a=$url
lunad replica-b redis; b=$url

nginx_port=$(free_port)
{ nginx_conf_head 1; cat <<EOF
  upstream lunad {
    server ${a#http://};
    server ${b#http://};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://lunad;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/logs/stderr" &
pids+=($!)
fleet="http://127.0.0.1:$nginx_port"
wait_http "$fleet/health"

declare -A rps requests
run() { # key label url
  local result
  result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WRK_LIB/generate.lua" "$3/generate" | tail -n 1)
  rps[$1]=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["rps"]))' "$result")
  requests[$1]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests"])' "$result")
  python3 - "$2" "$result" <<'PY'
import json, sys
label, r = sys.argv[1], json.loads(sys.argv[2])
print(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors'] + r['socket_errors']} |")
PY
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per row; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| POST /generate (serenity, simple, 200) | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|"
run sled "embedded store (sled), 1 replica" "$sled"
[ -n "$baseline" ] && run baseline "embedded store (sled), 1 replica, BASELINE_LUNAD" "$baseline"
run redis1 "Redis, 1 replica" "$a"
run redis2 "Redis, 2 replicas behind nginx" "$fleet"
echo
python3 - "${rps[sled]}" "${rps[redis1]}" <<'PY'
import sys
sled, redis = map(int, sys.argv[1:])
print(f"Redis on one replica: {redis} / {sled} = {100 * redis / sled:.0f}% of sled's throughput (target: at least 70%).")
PY
total() { curl -sf "$1/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_generated"])'; }
echo "Answers wrk counted in the Redis rows: $(( ${requests[redis1]} + ${requests[redis2]} )); /stats on replica A: $(total "$a"), on B: $(total "$b")."
echo "(wrk leaves out requests still in flight when a row ends, so /stats may be a few dozen higher.)"
echo
echo "Redis round trip, one client, no pipelining (redis-benchmark PING, 20000 requests):"
redis-benchmark -p "$redis_port" -a "$LUNA_REDIS_PASSWORD" -c 1 -n 20000 -t ping_mbulk 2>/dev/null \
  | awk '/latency summary/ {getline; getline; printf "p50 %s ms, p99 %s ms (avg %s ms)\n", $3, $5, $1}'
echo
echo "Redrawing a stored file another replica lacks (PNG 512 px, first download on B vs on A):"
python3 - "$a" "$b" <<'PY'
import json, statistics, sys, time, urllib.request
a, b = sys.argv[1:]
def timed(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url) as r:
        body = r.read()
    return (time.perf_counter() - started) * 1000, body
on_b, on_a = [], []
for n in range(20):
    request = urllib.request.Request(f"{a}/generate", method="POST",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"variant": "mystery", "generator_type": "ultimate", "size": 512,
                         "format": "png", "seed": 1000 + n}).encode())
    link = json.load(urllib.request.urlopen(request))["download_url"]
    ms_a, bytes_a = timed(a + link)
    ms_b, bytes_b = timed(b + link)
    assert bytes_a == bytes_b, "the redrawn file differs"
    on_a.append(ms_a); on_b.append(ms_b)
for label, values in (("on A, which stored it", on_a), ("on B, first request (redraw)", on_b)):
    values.sort()
    print(f"- {label}: median {statistics.median(values):.1f} ms, max {values[-1]:.1f} ms")
PY
