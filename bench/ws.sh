#!/usr/bin/env bash
# bench/ws.sh - what WebSocket framing costs HermesNet's fan-out (docs/performance.md "WebSocket"),
# measured side by side in one run.
#
# One hermes-server with its line port and a browser port (--http-port) on the same event loops; RUNS
# rounds of each scenario S:M (S subscribers, one publisher, M lines of 64 bytes), three runs per round in
# turns (the order rotates): tcp = everyone over TCP; ws = WebSocket subscribers (hermes-load --ws, one
# text frame per line) with the publisher on the line port (--publish-port), so only the subscribers'
# framing differs from tcp; ws-all = the publisher over WebSocket too. Prints delivered lines per second
# and the ratios to tcp.
#
# Ports: ephemeral (--port 0, --http-port 0), 127.0.0.1 only. Needs: java 17, mvn (builds if needed), python3.
#
# Usage: bench/ws.sh                      RUNS=3 SCENARIOS="10:50000 100:10000"
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-"10:50000 100:10000"}
SERVER=hermes-server/target/hermes-server/bin/hermes-server
LOAD=hermes-tools/target/hermes-load/bin/hermes-load
if [ ! -x "$SERVER" ] || [ ! -x "$LOAD" ]; then
    mvn -q -DskipTests package
fi

tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$SERVER" --host 127.0.0.1 --port 0 --http-port 0 --tick-interval off --quiet --max-clients 2000 >"$tmp/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "chat page on" "$tmp/server.out" && break; sleep 0.1; done
tcp_port=$(grep -m1 "listening on" "$tmp/server.out" | sed -E 's/.*:([0-9]+)$/\1/')
ws_port=$(grep -m1 "chat page on" "$tmp/server.out" | sed -E 's#.*http://[^ ]*:([0-9]+)/ .*#\1#')

load() { # $1 = port, $2 = S:M, $3.. = extra flags; prints delivered msgs/s
    local s=${2%%:*} m=${2##*:}
    "$LOAD" --port "$1" --clients "$s" --messages "$m" --json "${@:3}" 2>/dev/null \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["deliveredMsgsPerSec"]) if r["result"] == "ok" else "FAIL:" + r["result"])'
}

echo "== fan-out, TCP vs WebSocket subscribers (one server, both listeners), $RUNS rounds"
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')" 2>/dev/null || echo n/a; }
for sc in $SCENARIOS; do
    load "$tcp_port" "$sc" >/dev/null; load "$ws_port" "$sc" --ws >/dev/null # warm-up, discarded
    for r in $(seq 1 "$RUNS"); do
        case $((r % 3)) in
            1) t=$(load "$tcp_port" "$sc"); w=$(load "$ws_port" "$sc" --ws --publish-port "$tcp_port"); a=$(load "$ws_port" "$sc" --ws) ;;
            2) w=$(load "$ws_port" "$sc" --ws --publish-port "$tcp_port"); a=$(load "$ws_port" "$sc" --ws); t=$(load "$tcp_port" "$sc") ;;
            0) a=$(load "$ws_port" "$sc" --ws); t=$(load "$tcp_port" "$sc"); w=$(load "$ws_port" "$sc" --ws --publish-port "$tcp_port") ;;
        esac
        echo "scenario $sc round $r: tcp $t  ws $w  ws-all $a  ws/tcp $(ratio "$w" "$t")  ws-all/tcp $(ratio "$a" "$t")"
    done
done
