#!/usr/bin/env bash
# bench/cluster-fanout.sh - cross-node fan-out and added latency of a HermesNet cluster on Redis, side
# by side with a 3-node nats-server cluster (routes), in one run (docs/performance.md "Cluster").
#
# Starts, all on 127.0.0.1 with ports from a free-port picker:
#   redis-server + three `hermes-server --cluster` nodes (n1 n2 n3), one plain hermes-server,
#   three nats-servers joined by routes, one plain nats-server.
# Then RUNS rounds; each round runs every scenario on every target, one after the other (so the
# systems are interleaved and share whatever the machine is doing). The generator is the same for
# every target: bench/fanout-split.c (the reference generator fanout.c plus --pub-port/--sub-ports).
#
#   target         publishers      subscribers
#   hermes-cross   node n1         nodes n2 and n3 (round robin)   the cluster, every line via Redis
#   hermes-local   node n1         node n1                         the cluster's local fast path
#   hermes-single  plain server    plain server                    no --cluster at all
#   nats-cross     nats 1          nats 2 and 3 (routes)
#   nats-single    plain nats      plain nats
#
# Usage: bench/cluster-fanout.sh
#        RUNS=1 SCENARIOS="10:20000" bench/cluster-fanout.sh      (a quick look)
# Environment (defaults in brackets):
#   RUNS [3]          measured rounds; the summary gives medians over them
#   WARMUP [1]        discarded runs of every scenario on every target before round 1 (JIT)
#   SCENARIOS ["10:50000 100:5000 10:20000:2000"]
#                     S:M[:RATE]: S subscribers, M messages from one publisher, RATE msgs/s (absent:
#                     as fast as the server takes them). The paced one gives the latency figures.
#   TARGETS ["hermes-cross hermes-local hermes-single nats-cross nats-single"]
#   SIZE [64]         payload bytes
#   PIN [1]           1: generator on core GEN_CORE [0], every server on SERVER_CORE [1] (as bench/run.sh)
#   RUN_TIMEOUT [120] fanout --timeout of one run (s)
#   SETTLE [1000]     ms between the last subscriber's handshake and the first message: a join
#                     (HermesNet: a log entry every node applies; nats: interest sent over routes)
#                     must have reached the publisher's node, or lines go to nobody
#   QUIET_MAX [20]    before each run wait up to this long (s) until the servers idle (a leave storm)
#   HERMES_JAVA_OPTS  JAVA_OPTS of the hermes JVMs
#   HERMES_LAUNCHER   the hermes-server launcher [hermes-server/target/hermes-server/bin/hermes-server]
#                     (another build, for a before/after comparison)
#   SKIP_BUILD=1      do not run Maven (use the launchers already built)
#   OUT [bench/out/cluster-<time>]  raw.kv, commands.txt, summary.md, server logs
# Exit: 0 when every run finished without loss, 1 otherwise. Every process started here is killed by
# its PID on exit.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SCENARIOS=${SCENARIOS:-"10:50000 100:5000 10:20000:2000"}
TARGETS=${TARGETS:-"hermes-cross hermes-local hermes-single nats-cross nats-single"}
SIZE=${SIZE:-64}
PIN=${PIN:-1}
GEN_CORE=${GEN_CORE:-0}
SERVER_CORE=${SERVER_CORE:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
SETTLE=${SETTLE:-1000}
QUIET_MAX=${QUIET_MAX:-20}
HERMES_JAVA_OPTS=${HERMES_JAVA_OPTS:-}
OUT=${OUT:-bench/out/cluster-$(date +%Y%m%d-%H%M%S)}
HOST=127.0.0.1
LAUNCHER=${HERMES_LAUNCHER:-$ROOT/hermes-server/target/hermes-server/bin/hermes-server}

mkdir -p "$OUT/bin" || exit 1
OUT=$(cd "$OUT" && pwd)
RAW=$OUT/raw.kv
CMDS=$OUT/commands.txt
: >"$RAW"
: >"$CMDS"
FANOUT=$OUT/bin/fanout-split
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
quoted() { local a out=""; for a in "$@"; do out+=" $(printf '%q' "$a")"; done; echo "${out# }"; }

for tool in gcc redis-server nats-server python3 ss; do
    command -v "$tool" >/dev/null || { log "$tool not found"; exit 1; }
done
gcc -O2 -Wall -o "$FANOUT" bench/fanout-split.c || exit 1
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building HermesNet (mvn -q -DskipTests package)"
    mvn -q -B -ntp -DskipTests package >"$OUT/build.log" 2>&1 || { log "build failed: $OUT/build.log"; exit 1; }
fi
[ -x "$LAUNCHER" ] || { log "$LAUNCHER not built"; exit 1; }

# ---------------------------------------------------------------- processes
# shellcheck source=bench/processes.sh
. "$ROOT/bench/processes.sh"
pin() { if [ "$PIN" = 1 ]; then echo "taskset -c $1"; fi; }

declare -A PID PORT
start() { # name port cmd... : starts in the background, waits until port listens
    local name=$1 port=$2 p
    shift 2
    case $name in
        hermes*) echo "JAVA_OPTS=$(printf '%q' "$HERMES_JAVA_OPTS") $(pin "$SERVER_CORE") $(quoted "$@")" >>"$CMDS" ;;
        *) echo "$(pin "$SERVER_CORE") $(quoted "$@")" >>"$CMDS" ;;
    esac
    # shellcheck disable=SC2046 # pin expands to nothing or to the taskset words
    JAVA_OPTS="$HERMES_JAVA_OPTS" $(pin "$SERVER_CORE") "$@" >"$OUT/$name.log" 2>&1 &
    p=$!
    STARTED+=("$p")
    PID[$name]=$p
    PORT[$name]=$port
    await_listen "$name" "$p" "$port"
}

RPORT=$(free_port)
start redis "$RPORT" redis-server --bind "$HOST" --port "$RPORT" --save '' --appendonly no --dir "$OUT"
CLUSTER_NAME=bench$$
for n in 1 2 3; do
    p=$(free_port)
    start "hermes-n$n" "$p" "$LAUNCHER" --host "$HOST" --port "$p" --quiet --max-clients 20000 \
        --tick-interval off --cluster "redis://$HOST:$RPORT" --cluster-name "$CLUSTER_NAME" --node-id "n$n"
done
p=$(free_port)
start hermes-single "$p" "$LAUNCHER" --host "$HOST" --port "$p" --quiet --max-clients 20000 --tick-interval off
declare -a NC NP
for n in 1 2 3; do NP[$n]=$(free_port); NC[$n]=$(free_port); done
for n in 1 2 3; do
    routes=""
    for m in 1 2 3; do [ "$m" != "$n" ] && routes+="${routes:+,}nats://$HOST:${NC[$m]}"; done
    start "nats-n$n" "${NP[$n]}" nats-server -a "$HOST" -p "${NP[$n]}" --cluster_name "$CLUSTER_NAME" \
        --cluster "nats://$HOST:${NC[$n]}" --routes "$routes"
done
p=$(free_port)
start nats-single "$p" nats-server -a "$HOST" -p "$p"
# the routes: every nats node logs one "Route connection created" per peer once connected
for i in $(seq 1 100); do
    ok=1
    for n in 1 2 3; do
        [ "$(grep -c 'Route connection created' "$OUT/nats-n$n.log" 2>/dev/null)" -ge 2 ] || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.2
done
[ "$ok" = 1 ] || log "WARNING: nats routes not all up after 20 s (nats-cross may lose lines)"

SERVER_PIDS="${PID[redis]} ${PID[hermes-n1]} ${PID[hermes-n2]} ${PID[hermes-n3]} ${PID[hermes-single]}"
SERVER_PIDS+=" ${PID[nats-n1]} ${PID[nats-n2]} ${PID[nats-n3]} ${PID[nats-single]}"
{
    echo "date=$(date -Is)"
    echo "host=$(uname -n) cores=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "git=$(git rev-parse --short HEAD 2>/dev/null)"
    echo "nats=$(nats-server --version 2>&1) redis=$(redis-server --version | cut -d' ' -f3)"
    echo "java=$(java -version 2>&1 | head -1)"
} >"$OUT/meta.txt"

cpu_ticks() { # pids... -> user+system clock ticks of all of them
    local p t=0 f a
    for p in "$@"; do
        f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null) || continue
        read -r -a a <<<"$f"
        t=$((t + a[11] + a[12]))
    done
    echo "$t"
}
quiesce() { # until all servers together use < 5% of a core over 0.5 s, at most QUIET_MAX s
    local i c0 c1 limit=$(((CLK_TCK * 5 / 100 + 1) / 2))
    [ "$limit" -ge 1 ] || limit=1
    # shellcheck disable=SC2086
    for i in $(seq 1 $((QUIET_MAX * 2))); do
        c0=$(cpu_ticks $SERVER_PIDS); sleep 0.5; c1=$(cpu_ticks $SERVER_PIDS)
        [ $((c1 - c0)) -le "$limit" ] && return 0
    done
    log "servers still busy after ${QUIET_MAX}s; going on"
}

target_args() { # target -> fanout flags and the pids whose CPU the run counts
    case $1 in
        hermes-cross) echo "--proto line --ready-match WELCOME --pub-port ${PORT[hermes-n1]} --sub-ports ${PORT[hermes-n2]},${PORT[hermes-n3]}" ;;
        hermes-local) echo "--proto line --ready-match WELCOME --port ${PORT[hermes-n1]}" ;;
        hermes-single) echo "--proto line --ready-match WELCOME --port ${PORT[hermes-single]}" ;;
        nats-cross) echo "--proto nats --pub-port ${PORT[nats-n1]} --sub-ports ${PORT[nats-n2]},${PORT[nats-n3]}" ;;
        nats-single) echo "--proto nats --port ${PORT[nats-single]}" ;;
        *) log "unknown target $1"; exit 1 ;;
    esac
}
target_pids() {
    case $1 in
        hermes-cross | hermes-local) echo "${PID[redis]} ${PID[hermes-n1]} ${PID[hermes-n2]} ${PID[hermes-n3]}" ;;
        hermes-single) echo "${PID[hermes-single]}" ;;
        nats-cross) echo "${PID[nats-n1]} ${PID[nats-n2]} ${PID[nats-n3]}" ;;
        nats-single) echo "${PID[nats-single]}" ;;
    esac
}

FAILED=0
run_one() { # target scenario round warm
    local t=$1 sc=$2 round=$3 warm=$4 S M RATE args line c0 c1 t0 t1 cpu
    IFS=: read -r S M RATE <<<"$sc"
    args="$(target_args "$t") --host $HOST -s $S -p 1 -m $M --size $SIZE --settle $SETTLE --timeout $RUN_TIMEOUT --label $t --kv"
    [ -n "${RATE:-}" ] && args+=" --rate $RATE"
    quiesce
    echo "$(pin "$GEN_CORE") $FANOUT $args" >>"$CMDS"
    # shellcheck disable=SC2046,SC2086
    c0=$(cpu_ticks $(target_pids "$t")); t0=$(date +%s%N)
    # shellcheck disable=SC2046,SC2086
    line=$(timeout $((RUN_TIMEOUT + 120)) $(pin "$GEN_CORE") "$FANOUT" $args 2>>"$OUT/fanout-stderr.log")
    # shellcheck disable=SC2046,SC2086
    c1=$(cpu_ticks $(target_pids "$t")); t1=$(date +%s%N)
    cpu=$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", c / hz / (ns / 1e9) }')
    [ -n "$line" ] || line="error=no_output"
    echo "target=$t scen=$sc round=$round warm=$warm servers_cpu=$cpu $line" >>"$RAW"
    case $line in *status=ok*lost=0\ *) ;; *) [ "$warm" = 0 ] && FAILED=1 ;; esac
    log "$([ "$warm" = 1 ] && echo warm-up || echo "round $round") $t $sc: $(echo "$line" |
        grep -o 'status=[a-z]*\|error=[a-z_]*\|delivered_per_s=[0-9]*\|p50_us=[0-9.]*\|p99_us=[0-9.]*\|lost=[0-9]*' | tr '\n' ' ')cpu=$cpu"
    local n
    for n in $SERVER_PIDS; do kill -0 "$n" 2>/dev/null || { log "server pid $n died"; exit 1; }; done
}

for ((w = 1; w <= WARMUP; w++)); do
    for sc in $SCENARIOS; do for t in $TARGETS; do run_one "$t" "$sc" 0 1; done; done
done
for ((r = 1; r <= RUNS; r++)); do
    for sc in $SCENARIOS; do for t in $TARGETS; do run_one "$t" "$sc" "$r" 0; done; done
done

python3 - "$RAW" >"$OUT/summary.md" <<'EOF'
import statistics, sys
rows = []
for line in open(sys.argv[1]):
    kv = dict(f.split("=", 1) for f in line.split() if "=" in f)
    if kv.get("warm") == "0":
        rows.append(kv)
def med(t, sc, key):
    v = [float(r[key]) for r in rows if r["target"] == t and r["scen"] == sc and key in r]
    return statistics.median(v) if v else float("nan")
def paired(a, b, sc, key, op):  # median over rounds of op(a's value, b's value) in the same round
    v = []
    for r in {r["round"] for r in rows}:
        x = [float(q[key]) for q in rows if q["target"] == a and q["scen"] == sc and q["round"] == r and key in q]
        y = [float(q[key]) for q in rows if q["target"] == b and q["scen"] == sc and q["round"] == r and key in q]
        if x and y and (op != "ratio" or y[0] > 0):
            v.append(x[0] / y[0] if op == "ratio" else x[0] - y[0])
    return statistics.median(v) if v else float("nan")
scens = list(dict.fromkeys(r["scen"] for r in rows))
targets = list(dict.fromkeys(r["target"] for r in rows))
n = len({r["round"] for r in rows})
print(f"Medians over {n} interleaved rounds (S subscribers : M messages [: paced msgs/s]); one publisher.\n")
print("| scenario | target | delivered msgs/s | p50 ms | p99 ms | lost (sum) | servers' CPU (cores) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
for sc in scens:
    for t in targets:
        lost = sum(int(r.get("lost", 0)) for r in rows if r["target"] == t and r["scen"] == sc)
        bad = sum(1 for r in rows if r["target"] == t and r["scen"] == sc and r.get("status") != "ok")
        print(f"| {sc} | {t} | {med(t, sc, 'delivered_per_s'):,.0f} | {med(t, sc, 'p50_us') / 1000:.2f} | "
              f"{med(t, sc, 'p99_us') / 1000:.2f} | {lost}{f' ({bad} runs not ok)' if bad else ''} | "
              f"{med(t, sc, 'servers_cpu'):.2f} |")
def f(x):  # a ratio or difference needs both targets of the run
    return "-" if x != x else f"{x:.2f}"
print("\nRatios and differences (median over rounds of the per-round value; - where a target was not run):\n")
print("| scenario | hermes-cross / nats-cross msgs/s | hermes-cross / hermes-single msgs/s | nats-cross / nats-single msgs/s | added p50 ms (cross - single) | added p99 ms (cross - single) | added p99 ms (cross - local) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for sc in scens:
    print(f"| {sc} | {f(paired('hermes-cross', 'nats-cross', sc, 'delivered_per_s', 'ratio'))} | "
          f"{f(paired('hermes-cross', 'hermes-single', sc, 'delivered_per_s', 'ratio'))} | "
          f"{f(paired('nats-cross', 'nats-single', sc, 'delivered_per_s', 'ratio'))} | "
          f"{f(paired('hermes-cross', 'hermes-single', sc, 'p50_us', 'diff') / 1000)} | "
          f"{f(paired('hermes-cross', 'hermes-single', sc, 'p99_us', 'diff') / 1000)} | "
          f"{f(paired('hermes-cross', 'hermes-local', sc, 'p99_us', 'diff') / 1000)} |")
EOF
cat "$OUT/meta.txt" "$OUT/summary.md"
log "raw results in $RAW, commands in $CMDS"
exit "$FAILED"
