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
