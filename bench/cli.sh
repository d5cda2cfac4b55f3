#!/usr/bin/env bash
# Whole-process timings of the `luna` CLI against a running lunad (release builds):
#   bench/cli.sh            # needs hyperfine (apt-get install hyperfine)
# Target (issue 4): `luna stats` median ≤ 3 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench/cli.sh needs hyperfine: apt-get install hyperfine" >&2; exit 69; }
cargo build --release --quiet --bin luna --bin lunad

dir=$(mktemp -d)
chmod 700 "$dir"
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
./target/release/lunad --socket "$dir/ctl.sock" --data-dir "$dir/data" 2>"$dir/lunad.log" &
pid=$!
export LUNA_SOCKET="$dir/ctl.sock" LUNA_NO_AUTOSTART=1
for _ in $(seq 100); do ./target/release/luna stats >/dev/null 2>&1 && break; sleep 0.05; done

hyperfine --warmup 20 --runs 200 -N \
  './target/release/luna --version' \
  './target/release/luna stats' \
  './target/release/luna stats --json' \
  "./target/release/luna generate power -g ultimate -o $dir/out.svg" \
  "./target/release/luna generate power -g ultimate -s 256 -o $dir/out.png"
