# Shared by the benchmark scripts (sourced, not run): a scratch directory whose processes are
# stopped on exit, free ports, waiting for HTTP, and the head of a scratch nginx.conf.

work=$(mktemp -d)
# nginx workers (often user nobody) must read files under it.
chmod 755 "$work"
mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "$1 never answered" >&2; exit 69; }

# nginx_conf_head WORKERS: the start of an nginx.conf that keeps everything under $work/nginx,
# up to and including the opening of its `http {` block.
nginx_conf_head() {
  cat <<EOF2
worker_processes $1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
EOF2
}

# require TOOL...: exits 69 naming the first tool this machine lacks.
require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0") needs $tool" >&2; exit 69; }
  done
}

# start_lunad: a release lunad on a free loopback port with its rate limits lifted (a load test
# measures capacity, not the limiter). Sets luna_pid and luna (its base URL).
start_lunad() {
  cargo build --release --quiet --bin lunad
  local port
  port=$(free_port)
  mkdir -p -m 700 "$work/run"
  printf '[http]\nlisten = "127.0.0.1:%s"\n[http.rate_limits]\ngenerate = 0\nlogo = 0\ndownload = 0\ndefault = 0\n' \
    "$port" > "$work/lunad.toml"
  RUST_LOG=warn ./target/release/lunad --socket "$work/run/ctl.sock" --data-dir "$work/data" \
    --config "$work/lunad.toml" 2>"$work/lunad.log" &
  luna_pid=$!
  pids+=("$luna_pid")
  luna="http://127.0.0.1:$port"
  wait_http "$luna/health"
}
