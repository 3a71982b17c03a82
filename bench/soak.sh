#!/usr/bin/env bash
# Soak/stress run (not part of the test suite; see docs/soak.md):
#   1. builds hermes-tools and hermes-server (no tests),
#   2. starts a server on 127.0.0.1:$PORT with Netty leak detection at paranoid, logging to a file,
#   3. runs io.hermesnet.tools.soak.SoakMain against it with the arguments given to this script,
#   4. stops the server (SIGTERM) and counts "LEAK:" lines in its log.
# Everything lands in bench/out/soak-<time>/ (server.log, report.txt).
#
# Usage: bench/soak.sh [SoakMain options]   e.g.  bench/soak.sh --clients 500 --duration 10m
# Environment: PORT (9700), MAX_CLIENTS (600), SERVER_HEAP (512m), JAVA (java), MVN_ARGS (extra Maven args)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-9700}
MAX_CLIENTS=${MAX_CLIENTS:-600}
JAVA=${JAVA:-java}
OUT=bench/out/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

echo "soak: building (output in $OUT)"
# shellcheck disable=SC2086
mvn -q -B -ntp ${MVN_ARGS:-} -pl hermes-tools,hermes-server -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/soak-classpath.txt -Dmdep.includeScope=runtime

LEAK_OPTS="-Dio.netty.leakDetection.level=paranoid -Dio.netty.leakDetection.targetRecords=8"
SERVER_OPTS="$LEAK_OPTS -Xmx${SERVER_HEAP:-512m}"
LAUNCHER=hermes-server/target/hermes-server/bin/hermes-server
if [ -x "$LAUNCHER" ] && unzip -l hermes-server/target/hermes-server/lib/hermes-server-*.jar 2>/dev/null \
        | grep -q 'cli/HermesServerMain.class'; then
    echo "soak: starting $LAUNCHER"
    JAVA_OPTS="$SERVER_OPTS" "$LAUNCHER" --host 127.0.0.1 --port "$PORT" --max-clients "$MAX_CLIENTS" --quiet \
        > "$OUT/server.log" 2>&1 &
else
    echo "soak: no hermes-server launcher built; starting SoakServerMain on hermes-server's runtime classpath"
    CP="hermes-tools/target/classes:$(cat hermes-server/target/soak-classpath.txt)"
    # shellcheck disable=SC2086
    "$JAVA" $SERVER_OPTS -Dorg.apache.logging.log4j.level=INFO -cp "$CP" \
        io.hermesnet.tools.soak.SoakServerMain "$PORT" "$MAX_CLIENTS" 1000 > "$OUT/server.log" 2>&1 &
fi
SERVER_PID=$!
stop_server() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT

CLIENT_CP="hermes-tools/target/classes:$(cat hermes-tools/target/soak-classpath.txt)"
RC=0
timeout "${SOAK_TIMEOUT:-3h}" "$JAVA" -Xmx512m -cp "$CLIENT_CP" io.hermesnet.tools.soak.SoakMain \
    --port "$PORT" --server-pid "$SERVER_PID" --server-log "$OUT/server.log" "$@" | tee "$OUT/report.txt" || RC=$?

stop_server
trap - EXIT
LEAKS=$(grep -c 'LEAK:' "$OUT/server.log" || true)
echo "LEAK: lines in server log after shutdown: $LEAKS" | tee -a "$OUT/report.txt"
echo "soak: report in $OUT/report.txt, server log in $OUT/server.log"
[ "$RC" -eq 0 ] && [ "$LEAKS" -eq 0 ]
