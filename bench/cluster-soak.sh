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

STARTED=()
kill_pid() { # pid: TERM, then KILL after 15 s
    local p=$1 i
    kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null
    for i in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}
cleanup() { # nodes first (they drain their leaves to Redis), Redis last
    local i
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do kill_pid "${STARTED[$i]}"; done
    STARTED=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

TAKEN=" "
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        case $TAKEN in *" $p "*) continue ;; esac
        TAKEN+="$p "
        echo "$p"
        return 0
    done
    return 1
}
start() { # name port cmd...
    local name=$1 port=$2 p i
    shift 2
    echo "$*" >>"$OUT/commands.txt"
    JAVA_OPTS="-Dio.netty.leakDetection.level=paranoid ${HERMES_JAVA_OPTS:-}" "$@" >"$OUT/$name.log" 2>&1 &
    p=$!
    STARTED+=("$p")
    for i in $(seq 1 900); do
        kill -0 "$p" 2>/dev/null || { log "$name died at start-up:"; tail -5 "$OUT/$name.log" >&2; exit 1; }
        ss -Htln "sport = :$port" 2>/dev/null | grep -q . && { log "started $name pid=$p port=$port"; return 0; }
        sleep 0.1
    done
    log "$name did not listen on $port within 90 s"
    exit 1
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
cleanup
trap - EXIT
LEAKS=$(cat "$OUT"/node-n*.log | grep -c 'LEAK:')
ERRORS=$(cat "$OUT"/node-n*.log | grep -c ' ERROR ')
log "node logs after shutdown: $LEAKS LEAK: lines, $ERRORS ERROR lines (logs in $OUT)"
[ "$LEAKS" -eq 0 ] || RC=1
[ "$RC" -eq 0 ] && log "soak PASSED" || log "soak FAILED (rc $RC)"
exit "$RC"
