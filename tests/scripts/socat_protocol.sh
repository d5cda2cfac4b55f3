#!/usr/bin/env bash
# Runs the "From the shell" transcripts of ipc/PROTOCOL.md against a live lunad, with socat, and
# checks the replies with python3 (jq is not required). Usage: socat_protocol.sh SOCKET
# Writes power.svg in the current directory.
set -euo pipefail

sock="${1:-${LUNA_SOCKET:-$XDG_RUNTIME_DIR/luna/ctl.sock}}"
command -v socat >/dev/null || { echo "socat is not installed: run .ci/install-deps" >&2; exit 2; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# check_reply ID PYTHON_EXPR: stdin is one reply line; the expression sees it as `r`.
check_reply() {
  python3 -c '
import json, sys
want_id, expr = json.loads(sys.argv[1]), sys.argv[2]
lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
assert len(lines) == 1, "expected one reply line, got %r" % lines
r = json.loads(lines[0])
assert r.get("id") == want_id, "id %r != %r in %r" % (r.get("id"), want_id, r)
assert "event" not in r, r
assert eval(expr), "check failed: %s\nreply: %s" % (expr, lines[0][:500])
' "$1" "$2"
}

# --- One request; drop the greeting line.
out=$(printf '%s\n' '{"id":1,"cmd":"stats"}' | socat -t5 - UNIX-CONNECT:"$sock" | tail -n +2)
printf '%s\n' "$out" | check_reply 1 'r["ok"] is True and isinstance(r["result"]["total_generated"], int) and "last_generation" in r["result"]' \
  || fail "stats transcript"
echo "ok: stats"

# --- A logo, written to a file (the SVG travels as a JSON string). jq -r .result.data, in python.
printf '%s\n' '{"id":1,"cmd":"generate","args":{"variant":"power","style":"ultimate","size":256}}' |
  socat -t5 - UNIX-CONNECT:"$sock" | tail -n +2 |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["data"])' > power.svg
python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse("power.svg").getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.get("width") == "256" and root.get("height") == "256", root.attrib
' || fail "power.svg is not a 256 px SVG"
grep -q '</svg>' power.svg || fail "power.svg is truncated"
if command -v jq >/dev/null; then
  # The documented command, verbatim, gives the same file.
  printf '%s\n' '{"id":1,"cmd":"generate","args":{"variant":"power","style":"ultimate","size":256}}' |
    socat -t5 - UNIX-CONNECT:"$sock" | tail -n +2 | jq -r .result.data > power-jq.svg
  cmp -s power.svg power-jq.svg || fail "jq and python extract different SVGs"
fi
echo "ok: power.svg"

# --- Several requests on one connection; replies may come back in any order.
out=$(printf '%s\n' '{"id":1,"cmd":"ping"}' '{"id":2,"cmd":"variants"}' '{"id":3,"cmd":"styles"}' |
  socat -t5 - UNIX-CONNECT:"$sock")
printf '%s\n' "$out" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin.read().splitlines() if l.strip()]
assert len(lines) == 4, "greeting + 3 replies expected, got %d lines" % len(lines)
assert lines[0]["hello"]["proto"] == 1, lines[0]
replies = {r["id"]: r for r in lines[1:]}
assert sorted(replies) == [1, 2, 3], replies.keys()
assert all(r["ok"] is True for r in replies.values())
assert replies[1]["result"] == {"pong": True}
assert [v["variant_type"] for v in replies[2]["result"]] == ["serenity", "power", "mystery", "awakening", "creative"]
assert len(replies[3]["result"]) == 8
' || fail "pipelined transcript"
echo "ok: pipelined"

# --- A garbage line gets a parse_error with a null id, and the connection goes on.
out=$(printf '%s\n' 'this is not json' '{"id":9,"cmd":"ping"}' | socat -t5 - UNIX-CONNECT:"$sock" | tail -n +2)
printf '%s\n' "$out" | head -n 1 | check_reply null 'r["ok"] is False and r["error"]["code"] == "parse_error" and r["error"]["retryable"] is False' \
  || fail "garbage line"
printf '%s\n' "$out" | tail -n +2 | check_reply 9 'r["result"] == {"pong": True}' || fail "ping after garbage"
echo "ok: parse_error"

# --- Subscribing (bounded, unlike the documented watch): the subscription is acknowledged.
out=$(printf '%s\n' '{"cmd":"subscribe","args":{"topics":["generated","stats"]}}' |
  socat -t5 - UNIX-CONNECT:"$sock" | tail -n +2)
printf '%s\n' "$out" | check_reply null 'r["ok"] is True and sorted(r["result"]["subscribed"]) == ["generated", "stats"]' \
  || fail "subscribe"
echo "ok: subscribe"
