#!/usr/bin/env bash
# bench/cluster-soak.sh - the 10-minute churn soak of a 3-node HermesNet cluster on one redis-server
# (issue 17; docs/cluster.md "Tests", docs/performance.md "Cluster"). Not part of the test suite:
# ClusterChurnTest is its CI-sized cousin.
#
#   1. builds hermes-server (mvn -q -DskipTests package) unless SKIP_BUILD=1;
#   2. starts redis-server and three `hermes-server --cluster` nodes on 127.0.0.1, ports from a
#      free-port picker, Netty leak detection at paranoid, each logging to a file;
#   3. runs bench/cluster_soak.py for DURATION: observers connected throughout on every node sending
#      chat, churn clients joining and leaving on all nodes (/logout, end of input, abrupt close),
#      sending chat and /nick; then checks that every node's /who is identical and that every chat
#      line reached every observer exactly once;
#   4. stops the nodes (SIGTERM) and Redis by PID (also on Ctrl-C or an error: trap), counts "LEAK:"
#      and ERROR lines in the node logs.
# Everything lands in bench/out/cluster-soak-<time>/ (node logs, report.txt).
#
# Usage: DURATION=10m bench/cluster-soak.sh
# Environment: DURATION (10m; s/m/h suffix), OBSERVERS (2 per node), WORKERS (12 churn threads),
#   OBS_PERIOD (0.5 s between an observer's lines), NODE_TIMEOUT (hermes --node-timeout, its default
#   when empty), HERMES_JAVA_OPTS (extra JAVA_OPTS), SKIP_BUILD=1, OUT
# Exit: 0 when the checks pass and no node logged a leak; 1 otherwise. Bounded: the driver runs under
# `timeout` (DURATION + 5 min).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

DURATION=${DURATION:-10m}
OUT=${OUT:-bench/out/cluster-soak-$(date +%Y%m%d-%H%M%S)}
LAUNCHER=$ROOT/hermes-server/target/hermes-server/bin/hermes-server
HOST=127.0.0.1
mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)

case $DURATION in
    *h) SECS=$((${DURATION%h} * 3600)) ;;
    *m) SECS=$((${DURATION%m} * 60)) ;;
    *s) SECS=${DURATION%s} ;;
    *) SECS=$DURATION ;;
esac
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/report.txt" >&2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building (mvn -q -DskipTests package)"
    mvn -q -B -ntp -DskipTests package >"$OUT/build.log" 2>&1 || { log "build failed: $OUT/build.log"; exit 1; }
fi
[ -x "$LAUNCHER" ] || { log "$LAUNCHER not built"; exit 1; }

KILL_GRACE=150 # a node draining its leaves after a soak may take longer than 10 s
# shellcheck source=bench/processes.sh
. "$ROOT/bench/processes.sh"
start() { # name port cmd...
    local name=$1 port=$2 p
    shift 2
    echo "$*" >>"$OUT/commands.txt"
    JAVA_OPTS="-Dio.netty.leakDetection.level=paranoid ${HERMES_JAVA_OPTS:-}" "$@" >"$OUT/$name.log" 2>&1 &
    p=$!
    STARTED+=("$p")
    await_listen "$name" "$p" "$port"
}

RPORT=$(free_port)
start redis "$RPORT" redis-server --bind "$HOST" --port "$RPORT" --save '' --appendonly no --dir "$OUT"
PORTS=()
NODE_PIDS=()
for n in 1 2 3; do
    p=$(free_port)
    args=(--host "$HOST" --port "$p" --max-clients 500 --cluster "redis://$HOST:$RPORT" --node-id "n$n")
    [ -n "${NODE_TIMEOUT:-}" ] && args+=(--node-timeout "$NODE_TIMEOUT")
    start "node-n$n" "$p" "$LAUNCHER" "${args[@]}"
    PORTS+=("$p")
    NODE_PIDS+=("${STARTED[-1]}")
done
log "load average: $(cut -d' ' -f1-3 /proc/loadavg); soak for $SECS s"
echo "python3 bench/cluster_soak.py $SECS ${PORTS[*]}" >>"$OUT/commands.txt"
timeout $((SECS + 300)) python3 bench/cluster_soak.py "$SECS" "${PORTS[@]}" 2>&1 | tee -a "$OUT/report.txt"
RC=${PIPESTATUS[0]}
for p in "${NODE_PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null || { log "FAIL: node pid $p died during the soak"; RC=1; }
done
stop_started
trap - EXIT
LEAKS=$(cat "$OUT"/node-n*.log | grep -c 'LEAK:')
ERRORS=$(cat "$OUT"/node-n*.log | grep -c ' ERROR ')
log "node logs after shutdown: $LEAKS LEAK: lines, $ERRORS ERROR lines (logs in $OUT)"
[ "$LEAKS" -eq 0 ] || RC=1
[ "$RC" -eq 0 ] && log "soak PASSED" || log "soak FAILED (rc $RC)"
exit "$RC"
