#!/usr/bin/env bash
# bench/tls.sh - what TLS costs HermesNet (docs/performance.md "TLS"), measured side by side in one run.
#
#   1. fan-out: one hermes-server with a plain port and a TLS port (--tls-port) on the same event loops;
#      hermes-load plain and hermes-load --tls take turns against it, RUNS rounds of each scenario,
#      alternating which goes first; prints msgs/s (delivered lines per second) and the TLS/plain ratio.
#   2. handshakes per second: `openssl s_time -new` (a full handshake per connection, no resumption)
#      against the TLS port for HS_SECONDS, once with the OpenSSL provider (the default) and once with
#      the JDK provider (-Dio.netty.handler.ssl.noOpenSsl=true).
#
# Certificate: a throwaway EC P-256 pair made by `openssl req` in a temp dir, deleted at the end.
# Ports: ephemeral (--port 0, --tls-port 0), 127.0.0.1 only. Needs: java 17, mvn (builds if needed), openssl.
#
# Usage: bench/tls.sh                     RUNS=3 SCENARIOS="10:50000 100:10000" HS_SECONDS=5
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-"10:50000 100:10000"}
HS_SECONDS=${HS_SECONDS:-5}
SERVER=hermes-server/target/hermes-server/bin/hermes-server
LOAD=hermes-testkit/target/hermes-load/bin/hermes-load
[ -x "$LOAD" ] || LOAD=$(ls hermes-*/target/hermes-load/bin/hermes-load 2>/dev/null | head -1)
if [ ! -x "$SERVER" ] || [ ! -x "${LOAD:-}" ]; then
    mvn -q -DskipTests package
    LOAD=$(ls hermes-*/target/hermes-load/bin/hermes-load | head -1)
fi

tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/server.key" \
    -out "$tmp/server.crt" -days 1 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

start_server() { # $1 = extra JAVA_OPTS
    JAVA_OPTS="${1:-}" "$SERVER" --host 127.0.0.1 --port 0 --tls-port 0 --tls-cert "$tmp/server.crt" \
        --tls-key "$tmp/server.key" --tick-interval off --quiet --max-clients 2000 >"$tmp/server.out" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q "(TLS)" "$tmp/server.out" && break; sleep 0.1; done
    plain_port=$(grep -m1 "listening on" "$tmp/server.out" | sed -E 's/.*:([0-9]+)$/\1/')
    tls_port=$(grep "(TLS)" "$tmp/server.out" | sed -E 's/.*:([0-9]+) \(TLS\)/\1/')
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=; }

load() { # $1 = port, $2 = S:M, $3.. = extra flags; prints delivered msgs/s
    local s=${2%%:*} m=${2##*:}
    "$LOAD" --port "$1" --clients "$s" --messages "$m" --json "${@:3}" 2>/dev/null \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["deliveredMsgsPerSec"]))'
}

echo "== fan-out, plain vs TLS (one server, both listeners), $RUNS rounds"
start_server ""
grep "TLS certificate" "$tmp/server.out" | sed 's/.*\[STATE\] /server: /'
for sc in $SCENARIOS; do
    load "$plain_port" "$sc" >/dev/null; load "$tls_port" "$sc" --tls >/dev/null # warm-up, discarded
    for r in $(seq 1 "$RUNS"); do
        if [ $((r % 2)) -eq 1 ]; then p=$(load "$plain_port" "$sc"); t=$(load "$tls_port" "$sc" --tls)
        else t=$(load "$tls_port" "$sc" --tls); p=$(load "$plain_port" "$sc"); fi
        echo "scenario $sc round $r: plain $p  tls $t  ratio $(python3 -c "print(f'{float(\"$t\")/float(\"$p\"):.2f}')")"
    done
done

echo "== handshakes per second (openssl s_time -new, ${HS_SECONDS}s)"
hs() { timeout $((HS_SECONDS + 20)) openssl s_time -connect "127.0.0.1:$tls_port" -new -time "$HS_SECONDS" 2>/dev/null \
        | grep -E "connections in .* real seconds|connections/user sec" | head -2 | tr '\n' ' '; echo; }
echo "OpenSSL provider: $(hs)"
stop_server
start_server "-Dio.netty.handler.ssl.noOpenSsl=true"
grep "TLS certificate" "$tmp/server.out" | sed 's/.*\[STATE\] /server: /'
echo "JDK provider:     $(hs)"
stop_server
