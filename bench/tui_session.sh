# shellcheck shell=bash disable=SC2154  # $bin comes from the sourcing script
# Sourced by bench/tui_idle.sh and bench/tui_screenshot.sh: a private lunad and `luna tui` in a
# private tmux server, all in one temp dir removed on exit.
#   tui_session_start COLS ROWS [NAME=VALUE...]   # the variables go into luna tui's environment
# Needs $bin (the directory of luna and lunad). Sets $dir, $sock, $lunad_pid and the tmux
# command array $tm (session "tui"); defines screen and wait_loaded. A script with more to undo
# on exit defines tui_session_extra_cleanup.

dir=$(mktemp -d)
chmod 700 "$dir"
sock="$dir/ctl.sock"
tm=(tmux -S "$dir/tmux.sock" -f "$dir/tmux.conf") # private server; its socket goes with $dir
lunad_pid=""
tui_session_cleanup() {
  if declare -F tui_session_extra_cleanup >/dev/null; then tui_session_extra_cleanup; fi
  "${tm[@]}" kill-server 2>/dev/null || true
  if [ -n "$lunad_pid" ]; then kill "$lunad_pid" 2>/dev/null || true; wait "$lunad_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap tui_session_cleanup EXIT
trap 'exit 130' INT TERM
unset TMUX

screen() { "${tm[@]}" capture-pane -p -t tui; }

# Waits until luna tui is connected and its preview has loaded; exits 70 if it never is.
wait_loaded() {
  local s
  for _ in $(seq 300); do
    if [ "$("${tm[@]}" display-message -p -t tui '#{pane_dead}')" = 1 ]; then
      echo "luna tui exited; its screen:" >&2; screen >&2; exit 70
    fi
    s=$(screen)
    if grep -q "lunad connected" <<<"$s" && ! grep -q "loading" <<<"$s"; then return 0; fi
    sleep 0.1
  done
  echo "luna tui never showed 'lunad connected' with a loaded preview; its screen:" >&2
  screen >&2
  exit 70
}

tui_session_start() {
  local cols=$1 rows=$2
  shift 2
  "$bin/lunad" --socket "$sock" --data-dir "$dir/data" --http-listen 127.0.0.1:0 2>"$dir/lunad.log" &
  lunad_pid=$!
  up() { "$bin/luna" --socket "$sock" --no-autostart daemon status >/dev/null 2>&1; }
  for _ in $(seq 400); do up && break; kill -0 "$lunad_pid" 2>/dev/null || break; sleep 0.05; done
  up || { echo "lunad did not answer on $sock; its log:" >&2; cat "$dir/lunad.log" >&2; exit 69; }
  # No status line: the TUI gets the whole window. A dead pane stays, so its last screen shows.
  printf 'set -g status off\nset -g remain-on-exit on\n' >"$dir/tmux.conf"
  # argv form: tmux execs env, env execs luna, so the pane pid is luna's.
  "${tm[@]}" new-session -d -s tui -c "$dir" -x "$cols" -y "$rows" \
    env "$@" LUNA_SOCKET="$sock" LUNA_NO_AUTOSTART=1 "$bin/luna" tui
  wait_loaded
}
