#!/usr/bin/env bash
# bench/run.sh - the fan-out comparison of HermesNet against nats-server and redis-server, in one run.
#
# Measures every server with the same tool and flags as ../shared/bench/run-anchors.sh (see its
# README): the C load generator `fanout` pinned to core 0, each server pinned to core 1, 127.0.0.1 only.
#   1. builds HermesNet (mvn package, no tests), fanout and the C relay baseline;
#   2. throughput: starts relay, nats-server, redis-server, hermes (ticks off), hermes-ticks (ticks
#      every 1 s) and hermes-default (no flags but the port and --max-clients: logging on, as users
#      start it) once; one discarded warm-up run of every scenario on each JVM server; then RUNS
#      rounds, each running every scenario on every server (rounds interleave the servers);
#   3. idle memory: per round and server a fresh server, then `fanout --idle IDLE_N --hold IDLE_HOLD`
#      (server VmRSS before and after, KiB per connection);
#   4. ticks: a fresh hermes with --tick-interval 1s and TICK_CLIENTS clients held for TICK_DURATION by
#      hermes-load (hermes-tools) if it is built, else by the soak tool SoakMain; tick delay p50/p99/max;
#   5. writes bench/out/<timestamp>/ (raw.kv, commands.txt, summary.md, meta.kv, logs, charts) and
#      replaces the part of docs/performance.md between its bench:results markers, plus the charts
#      docs/performance-fanout.svg and docs/performance-idle.svg (bench/report.py, python3 stdlib).
#
# Usage: bench/run.sh            (about 20-30 min with the defaults; prints the summary at the end)
#        RUNS=1 SCENARIOS="10:20000 100:5000" IDLE_N=1000 TICK_CLIENTS=0 DOC= bench/run.sh   (a quick look)
#
# Environment knobs (defaults = the published comparison):
#   RUNS=3                       measured repetitions of every scenario (median, min-max)
#   SCENARIOS="10:200000 100:50000 1000:5000 100:10000:2000"
#                                S:M[:RATE]: S subscribers, M messages, RATE paced msgs/s (absent = flood)
#   SERVERS="relay nats redis hermes hermes-ticks hermes-default"     throughput servers
#   IDLE_SERVERS="relay nats redis hermes"              idle-memory servers (hermes: ticks off)
#   SIZE=64                      payload bytes
#   WARMUP=2                     discarded runs of every scenario per JVM server before round 1
#                                (one core for the JVM and its JIT compiler: one run did not finish the C2 work)
#   IDLE_N=10000 IDLE_HOLD=5     idle connections and seconds held; IDLE_N=0 skips the idle test
#   IDLE_SETUP_TIMEOUT=300       fanout --setup-timeout of an idle run (s); a server whose idle run
#                                fails is not tried again in later rounds
#   TICK_CLIENTS=10000           clients of the tick test; 0 skips it
#   TICK_DURATION=30s            how long the tick test holds them
#   TICK_TOOL=auto               auto (hermes-load if built, else soak) | load | soak | none
#   TICK_TIMEOUT=600             outer bound of the tick test (s)
#   TICK_LOAD_ARGS="--timeout 500s"  extra hermes-load arguments (10,000 clients take ~2 min to connect:
#                                each join sends JOIN and CLIENTS to everyone; hermes-load's own default is 120 s)
#   RUN_TIMEOUT=180              fanout --timeout of one measured run (s)
#   SERVER_CORE=1 GEN_CORE=0     taskset cores of the servers and of the generator
#   QUIET_MAX=30                 before each run, wait up to this long (s) until the servers use ~5%
#                                of a core (a JVM compiling, a previous run's leave storm)
#   HERMES_JAVA_OPTS=            JAVA_OPTS of the benchmarked hermes JVM (e.g. heap flags)
#   HERMES_MAX_CLIENTS=20000     hermes-server --max-clients
#   LOAD_JAVA_OPTS=-Xmx1g        JAVA_OPTS of the tick-test client JVM
#   ANCHORS_DIR=../shared/bench  where fanout.c and relay.c are (relative to the repository root)
#   PORT_BASE=17000              ports: relay +0, nats +100, redis +200, hermes +300, hermes-ticks +400,
#                                tick test +500, hermes-default +600 (the first free one of each block of 100)
#   SKIP_BUILD=1                 do not run Maven (use the launchers already built)
#   INSTALL=1                    apt-get install nats-server / redis-server when missing (root, Debian)
#   OUT=bench/out/<timestamp>    where everything of this run goes
#   DOC=docs/performance.md      the page whose bench:results section is replaced (empty: leave docs alone);
#                                the charts go beside it
#
# Only ratios measured in the same run mean anything: the box is shared and noisy.
# Everything talks to 127.0.0.1 only; every loop is bounded; every server is stopped by its PID.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-"10:200000 100:50000 1000:5000 100:10000:2000"}
SERVERS=${SERVERS:-"relay nats redis hermes hermes-ticks hermes-default"}
IDLE_SERVERS=${IDLE_SERVERS:-"relay nats redis hermes"}
SIZE=${SIZE:-64}
WARMUP=${WARMUP:-2}
IDLE_N=${IDLE_N:-10000}
IDLE_HOLD=${IDLE_HOLD:-5}
IDLE_SETUP_TIMEOUT=${IDLE_SETUP_TIMEOUT:-300}
TICK_CLIENTS=${TICK_CLIENTS:-10000}
TICK_DURATION=${TICK_DURATION:-30s}
TICK_TOOL=${TICK_TOOL:-auto}
TICK_TIMEOUT=${TICK_TIMEOUT:-600}
TICK_LOAD_ARGS=${TICK_LOAD_ARGS:---timeout 500s}
RUN_TIMEOUT=${RUN_TIMEOUT:-180}
SERVER_CORE=${SERVER_CORE:-1}
GEN_CORE=${GEN_CORE:-0}
QUIET_MAX=${QUIET_MAX:-30}
HERMES_JAVA_OPTS=${HERMES_JAVA_OPTS:-}
HERMES_MAX_CLIENTS=${HERMES_MAX_CLIENTS:-20000}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xmx1g}
ANCHORS_DIR=${ANCHORS_DIR:-../shared/bench}
PORT_BASE=${PORT_BASE:-17000}
OUT=${OUT:-bench/out/$(date +%Y%m%d-%H%M%S)}
DOC=${DOC-docs/performance.md}
HOST=127.0.0.1

HERMES_LAUNCHER=hermes-server/target/hermes-server/bin/hermes-server
LOAD_LAUNCHER=hermes-tools/target/hermes-load/bin/hermes-load
TICK_INTERVAL=1s # the tick test's --tick-interval; hermes-ticks uses it too

mkdir -p "$OUT/bin" || exit 1
OUT=$(cd "$OUT" && pwd)
RAW="$OUT/raw.kv"
CMDS="$OUT/commands.txt"
META="$OUT/meta.kv"
: >"$RAW"
: >"$CMDS"
: >"$META"
FANOUT="$OUT/bin/fanout"
RELAY="$OUT/bin/relay"
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
quoted() { local a out=""; for a in "$@"; do out+=" $(printf '%q' "$a")"; done; echo "${out# }"; }
meta() { printf '%s=%s\n' "$1" "$2" >>"$META"; }

# ---------------------------------------------------------------- limits
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 65536 ]; then ulimit -n "$hard"; else ulimit -n 65536; fi
nofile=$(ulimit -n)
if [ "$nofile" != unlimited ]; then
    for v in IDLE_N TICK_CLIENTS; do
        if [ "${!v}" -gt 0 ] && [ $((${!v} + 200)) -gt "$nofile" ]; then
            log "ulimit -n is $nofile: lowering $v from ${!v} to $((nofile - 200))"
            printf -v "$v" '%s' $((nofile - 200))
        fi
    done
fi
log "ulimit -n = $nofile; results in $OUT"

# ---------------------------------------------------------------- build
[ -f "$ANCHORS_DIR/fanout.c" ] || { log "no fanout.c in ANCHORS_DIR=$ANCHORS_DIR"; exit 1; }
gcc -O2 -Wall -o "$FANOUT" "$ANCHORS_DIR/fanout.c" || exit 1
gcc -O2 -Wall -o "$RELAY" "$ANCHORS_DIR/relay.c" || exit 1
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building HermesNet (mvn package, no tests)"
    mvn -q -B -ntp package -DskipTests >"$OUT/build.log" 2>&1 || { log "build failed, see $OUT/build.log"; exit 1; }
fi

need_pkg() { # package binary
    command -v "$2" >/dev/null 2>&1 && return 0
    if [ "${INSTALL:-0}" = 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >"$OUT/apt-$1.log" 2>&1
        command -v "$2" >/dev/null 2>&1 && return 0
    fi
    log "$2 not found (apt-get install -y $1, or INSTALL=1): skipping"
    return 1
}

is_jvm() { case $1 in hermes | hermes-ticks | hermes-default) return 0 ;; *) return 1 ;; esac; }

usable() { # server -> 0 when it can be started here
    case $1 in
        relay) return 0 ;;
        nats) need_pkg nats-server nats-server ;;
        redis) need_pkg redis-server redis-server ;;
        hermes | hermes-ticks | hermes-default)
            [ -x "$HERMES_LAUNCHER" ] && return 0
            log "$HERMES_LAUNCHER not built: skipping $1"; return 1 ;;
        *) log "unknown server $1"; return 1 ;;
    esac
}

# ---------------------------------------------------------------- servers
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
pick_port() { # base
    local i
    for i in $(seq 0 99); do
        if port_free $(($1 + i)); then echo $(($1 + i)); return 0; fi
    done
    return 1
}
port_base() {
    case $1 in
        relay) echo $((PORT_BASE)) ;;
        nats) echo $((PORT_BASE + 100)) ;;
        redis) echo $((PORT_BASE + 200)) ;;
        hermes) echo $((PORT_BASE + 300)) ;;
        hermes-ticks) echo $((PORT_BASE + 400)) ;;
        hermes-tick-test) echo $((PORT_BASE + 500)) ;;
        hermes-default) echo $((PORT_BASE + 600)) ;;
    esac
}

declare -A PORT PID
STARTED=()

kill_pid() { # pid: TERM, then KILL after 10 s (a JVM may need a few seconds for its shutdown)
    local p=$1 i
    kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null
    for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}
cleanup() {
    local p
    for p in "${STARTED[@]}"; do kill_pid "$p"; done
    STARTED=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

stop_server() { # name
    [ -n "${PID[$1]:-}" ] && kill_pid "${PID[$1]}"
    PID[$1]=""
}

start_server() { # name logtag
    local name=$1 tag=$2 port lf cmd
    port=$(pick_port "$(port_base "$name")") || { log "no free port for $name"; return 1; }
    lf="$OUT/$name-$tag.log"
    case $name in
        relay) cmd=("$RELAY" "$port") ;;
        nats) cmd=(nats-server -a "$HOST" -p "$port") ;; # default settings, loopback only
        redis)
            cmd=(redis-server --bind "$HOST" --port "$port" --save '' --appendonly no --daemonize no
                --dir "$OUT" --maxclients $((IDLE_N + 1000))) ;;
        hermes | hermes-ticks | hermes-tick-test)
            local tick=0
            [ "$name" != hermes ] && tick=$TICK_INTERVAL
            cmd=("$HERMES_LAUNCHER" --host "$HOST" --port "$port" --quiet --max-clients "$HERMES_MAX_CLIENTS"
                --tick-interval "$tick") ;;
        hermes-default) # as users start it: logging on (RX, BROADCAST), ticks every 1 s
            cmd=("$HERMES_LAUNCHER" --host "$HOST" --port "$port" --max-clients "$HERMES_MAX_CLIENTS") ;;
    esac
    case $name in
        hermes*)
            echo "JAVA_OPTS=$(printf '%q' "$HERMES_JAVA_OPTS") taskset -c $SERVER_CORE $(quoted "${cmd[@]}")" >>"$CMDS"
            JAVA_OPTS="$HERMES_JAVA_OPTS" taskset -c "$SERVER_CORE" "${cmd[@]}" >"$lf" 2>&1 &
            ;;
        *)
            echo "taskset -c $SERVER_CORE $(quoted "${cmd[@]}")" >>"$CMDS"
            taskset -c "$SERVER_CORE" "${cmd[@]}" >"$lf" 2>&1 &
            ;;
    esac
    local p=$! i
    STARTED+=("$p")
    PID[$name]=$p
    PORT[$name]=$port
    for i in $(seq 1 300); do
        if ! kill -0 "$p" 2>/dev/null; then
            log "$name died at startup, see $lf"; tail -5 "$lf" >&2; PID[$name]=""; return 1
        fi
        if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
            # the launcher execs java: fanout's CPU and RSS sampling must see the JVM itself
            local comm
            comm=$(cat "/proc/$p/comm" 2>/dev/null)
            log "started $name pid=$p ($comm) port=$port (core $SERVER_CORE)"
            case $name in hermes*) [ "$comm" = java ] || log "WARNING: $name pid $p is '$comm', not the JVM" ;; esac
            return 0
        fi
        sleep 0.1
    done
    log "$name did not listen on $port within 30 s"
    stop_server "$name"
    return 1
}

cpu_ticks() { # pids... -> user+system clock ticks of all of them
    local p t=0 f a
    for p in "$@"; do
        f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null) || continue
        read -r -a a <<<"$f"
        t=$((t + a[11] + a[12])) # utime, stime: fields 14 and 15 of /proc/PID/stat
    done
    echo "$t"
}

# Waits until the running servers together use less than 5% of a core over 0.5 s (they all share
# SERVER_CORE), at most QUIET_MAX seconds: a JVM still compiling, or a server still sending the
# previous run's LEAVE lines, would otherwise steal the core from the next run.
quiesce() {
    local pids=() s i c0 c1 limit
    for s in "${!PID[@]}"; do [ -n "${PID[$s]}" ] && pids+=("${PID[$s]}"); done
    [ ${#pids[@]} -gt 0 ] || return 0
    limit=$(((CLK_TCK * 5 / 100 + 1) / 2)) # ticks per 0.5 s at 5% of a core
    [ "$limit" -ge 1 ] || limit=1
    for i in $(seq 1 $((QUIET_MAX * 2))); do
        c0=$(cpu_ticks "${pids[@]}")
        sleep 0.5
        c1=$(cpu_ticks "${pids[@]}")
        [ $((c1 - c0)) -le "$limit" ] && return 0
    done
    log "servers still busy after ${QUIET_MAX}s (last 0.5 s: $((c1 - c0)) ticks); going on"
}

proto_args() { # name -> fanout protocol flags
    case $1 in
        relay) echo "--proto line" ;;
        nats) echo "--proto nats" ;;
        redis) echo "--proto redis" ;;
        # the server greets every client with WELCOME: the run starts once all have it (+200 ms settle)
        hermes*) echo "--proto line --ready-match WELCOME" ;;
    esac
}

run_fanout() { # server scen run warm
    local s=$1 sc=$2 run=$3 warm=$4 S M RATE args line
    IFS=: read -r S M RATE <<<"$sc"
    RATE=${RATE:-0}
    args="$(proto_args "$s") --host $HOST --port ${PORT[$s]} -s $S -m $M --size $SIZE"
    [ "$RATE" != 0 ] && args="$args --rate $RATE"
    args="$args --timeout $RUN_TIMEOUT --server-pid ${PID[$s]} --label $s --kv"
    quiesce
    echo "taskset -c $GEN_CORE $FANOUT $args" >>"$CMDS"
    # shellcheck disable=SC2086 # args is a list of flags
    line=$(timeout $((RUN_TIMEOUT + 300)) taskset -c "$GEN_CORE" "$FANOUT" $args 2>>"$OUT/fanout-stderr.log")
    [ -n "$line" ] || line="error=no_output"
    echo "server=$s scen=$sc run=$run warm=$warm $line" >>"$RAW"
    log "$([ "$warm" = 1 ] && echo warm-up || echo "round $run") $s $sc: $(echo "$line" |
        grep -o 'status=[a-z]*\|error=[a-z_]*\|delivered_per_s=[0-9]*\|lost=[0-9]*\|server_cpu=[-0-9.]*' | tr '\n' ' ')"
    sleep 1
    if ! kill -0 "${PID[$s]}" 2>/dev/null; then
        log "$s died during the run!"; PID[$s]=""
    fi
}

# The join storm check: HermesNet sends JOIN and CLIENTS to everyone on every join, so S clients
# cost about S^2 lines.  fanout starts publishing 200 ms after the last WELCOME; this opens the
# largest S (+1 publisher) the same way and reads the server's CPU use over the following second.
# About 0 means the storm is over before a run starts publishing.
settle_probe() { # server S
    local s=$1 n=$(($2 + 1)) args pid=${PID[$1]}
    args="$(proto_args "$s") --host $HOST --port ${PORT[$s]} --idle $n --hold 2 --settle 200"
    args="$args --setup-timeout $RUN_TIMEOUT --server-pid $pid --label $s --kv"
    quiesce
    echo "taskset -c $GEN_CORE $FANOUT $args   # join-storm check" >>"$CMDS"
    # shellcheck disable=SC2086
    timeout $((RUN_TIMEOUT + 60)) taskset -c "$GEN_CORE" "$FANOUT" $args 2>>"$OUT/fanout-stderr.log" | {
        cpu=""
        while IFS= read -r l; do
            case $l in
                IDLE_READY*)
                    c0=$(cpu_ticks "$pid"); t0=$(date +%s%N)
                    sleep 1
                    c1=$(cpu_ticks "$pid"); t1=$(date +%s%N)
                    cpu=$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", c / hz / (ns / 1e9) }')
                    ;;
                *) echo "server=$s scen=settle-probe run=0 warm=0 after_settle_cpu=${cpu:--1} $l" ;;
            esac
        done
    } >>"$RAW"
    log "join-storm check $s S=$n: server CPU in the 1 s after the 200 ms settle: $(tail -1 "$RAW" |
        grep -o 'after_settle_cpu=[-0-9.]*\|error=[a-z_]*' | tr '\n' ' ')"
}

# ---------------------------------------------------------------- versions
meta date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta host "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
meta git "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- . ':!docs/performance.md' ':!docs/performance-*.svg' 2>/dev/null || echo ' (with uncommitted changes)')"
meta java "$(java -version 2>&1 | head -1)"
meta hermes "$("$HERMES_LAUNCHER" -V 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')"
meta nats "$(nats-server --version 2>/dev/null | head -1)"
meta redis "$(redis-server --version 2>/dev/null | head -1)"
meta runs "$RUNS"
meta scenarios "$SCENARIOS"
meta size "$SIZE"
meta warmup "$WARMUP"
meta idle_n "$IDLE_N"
meta idle_hold "$IDLE_HOLD"
meta tick_clients "$TICK_CLIENTS"
meta tick_duration "$TICK_DURATION"
meta server_core "$SERVER_CORE"
meta gen_core "$GEN_CORE"
meta hermes_java_opts "$HERMES_JAVA_OPTS"
meta out "${OUT#"$ROOT"/}"

# ---------------------------------------------------------------- throughput
avail=""
for s in $SERVERS; do usable "$s" && avail="$avail $s"; done
up=""
for s in $avail; do start_server "$s" run && up="$up $s"; done
log "servers up:$up"
maxS=0
for sc in $SCENARIOS; do S=${sc%%:*}; [ "$S" -gt "$maxS" ] && maxS=$S; done
for s in $up; do
    is_jvm "$s" || continue
    for w in $(seq 1 "$WARMUP"); do
        for sc in $SCENARIOS; do
            [ -n "${PID[$s]:-}" ] && run_fanout "$s" "$sc" "$w" 1
        done
    done
    [ -n "${PID[$s]:-}" ] && [ "$maxS" -gt 1 ] && settle_probe "$s" "$maxS"
done
for round in $(seq 1 "$RUNS"); do
    for sc in $SCENARIOS; do
        for s in $up; do
            [ -n "${PID[$s]:-}" ] && run_fanout "$s" "$sc" "$round" 0
        done
    done
done
for s in $up; do stop_server "$s"; done
cleanup

# ---------------------------------------------------------------- idle memory
if [ "$IDLE_N" -gt 0 ]; then
    idle_up=""
    for s in $IDLE_SERVERS; do usable "$s" && idle_up="$idle_up $s"; done
    declare -A IDLE_FAILED
    for round in $(seq 1 "$RUNS"); do
        for s in $idle_up; do
            if [ -n "${IDLE_FAILED[$s]:-}" ]; then
                echo "server=$s scen=idle run=$round warm=0 error=skipped_after_failure" >>"$RAW"
                continue
            fi
            start_server "$s" "idle$round" || continue
            sleep 1
            quiesce
            args="$(proto_args "$s") --host $HOST --port ${PORT[$s]} --idle $IDLE_N --hold $IDLE_HOLD"
            args="$args --setup-timeout $IDLE_SETUP_TIMEOUT --server-pid ${PID[$s]} --label $s --kv"
            echo "taskset -c $GEN_CORE $FANOUT $args" >>"$CMDS"
            # shellcheck disable=SC2086
            line=$(timeout $((IDLE_SETUP_TIMEOUT + IDLE_HOLD + 100)) taskset -c "$GEN_CORE" "$FANOUT" $args \
                2>>"$OUT/fanout-stderr.log" | grep -v '^IDLE_READY')
            [ -n "$line" ] || line="error=no_output"
            echo "server=$s scen=idle run=$round warm=0 $line" >>"$RAW"
            log "idle round $round $s: $(echo "$line" | grep -o 'kib_per_conn=[-0-9.]*\|setup_s=[0-9.]*\|error=[a-z_]*' | tr '\n' ' ')"
            case $line in *error=*) IDLE_FAILED[$s]=1 ;; esac
            stop_server "$s"
            cleanup
        done
    done
fi

# ---------------------------------------------------------------- ticks
tick_tool=$TICK_TOOL
if [ "$tick_tool" = auto ]; then
    if [ -x "$LOAD_LAUNCHER" ]; then tick_tool=load; else tick_tool=soak; fi
fi
SOAK_CP="hermes-tools/target/classes:hermes-server/target/hermes-server/lib/*"
if [ "$TICK_CLIENTS" -gt 0 ] && [ "$tick_tool" != none ] && usable hermes-ticks; then
    if [ "$tick_tool" = load ] && [ ! -x "$LOAD_LAUNCHER" ]; then
        log "$LOAD_LAUNCHER not built: no tick test"
        echo "server=hermes-ticks scen=ticks run=1 warm=0 tool=hermes-load error=not_built" >>"$RAW"
    elif [ "$tick_tool" = soak ] && [ ! -f hermes-tools/target/classes/io/hermesnet/tools/soak/SoakMain.class ]; then
        log "SoakMain not built: no tick test"
        echo "server=hermes-ticks scen=ticks run=1 warm=0 tool=soak error=not_built" >>"$RAW"
    elif start_server hermes-tick-test ticks; then
        sleep 1
        quiesce
        p=${PORT[hermes-tick-test]}
        sp=${PID[hermes-tick-test]}
        if [ "$tick_tool" = load ]; then
            cmd=("$LOAD_LAUNCHER" --host "$HOST" --port "$p" --clients "$TICK_CLIENTS" --publishers 0 --ticks
                --tick-interval "$TICK_INTERVAL" --duration "$TICK_DURATION" --json)
            # shellcheck disable=SC2206 # extra arguments are a list
            [ -n "$TICK_LOAD_ARGS" ] && cmd+=($TICK_LOAD_ARGS)
            echo "JAVA_OPTS=$(printf '%q' "$LOAD_JAVA_OPTS") taskset -c $GEN_CORE $(quoted "${cmd[@]}")" >>"$CMDS"
            log "tick test: hermes-load, $TICK_CLIENTS clients for $TICK_DURATION"
            JAVA_OPTS="$LOAD_JAVA_OPTS" timeout "$TICK_TIMEOUT" taskset -c "$GEN_CORE" "${cmd[@]}" \
                >"$OUT/ticks.json" 2>"$OUT/ticks-stderr.log"
            rc=$?
            kv=$(python3 bench/report.py parse-load "$OUT/ticks.json" 2>>"$OUT/ticks-stderr.log") || kv="error=unparsed_json"
            echo "server=hermes-ticks scen=ticks run=1 warm=0 tool=hermes-load rc=$rc clients=$TICK_CLIENTS $kv" >>"$RAW"
        else
            cmd=(java $LOAD_JAVA_OPTS -cp "$SOAK_CP" io.hermesnet.tools.soak.SoakMain --host "$HOST" --port "$p"
                --clients "$TICK_CLIENTS" --duration "$TICK_DURATION" --chat-rate 0 --churn-rate 0
                --tick-interval "$TICK_INTERVAL" --report-every 10s --server-pid "$sp")
            echo "taskset -c $GEN_CORE $(quoted "${cmd[@]}")" >>"$CMDS"
            log "tick test: SoakMain (hermes-load not built), $TICK_CLIENTS clients for $TICK_DURATION"
            timeout "$TICK_TIMEOUT" taskset -c "$GEN_CORE" "${cmd[@]}" >"$OUT/ticks-soak.txt" 2>"$OUT/ticks-stderr.log"
            rc=$?
            kv=$(python3 bench/report.py parse-soak "$OUT/ticks-soak.txt" "$TICK_CLIENTS") || kv="error=unparsed_report"
            echo "server=hermes-ticks scen=ticks run=1 warm=0 tool=soak rc=$rc clients=$TICK_CLIENTS $kv" >>"$RAW"
        fi
        log "tick test: $(tail -1 "$RAW" | cut -d' ' -f5-)"
        stop_server hermes-tick-test
        cleanup
    fi
fi

# ---------------------------------------------------------------- server-log checks, report
{
    echo "nats_slow_consumer=$(cat "$OUT"/nats-*.log 2>/dev/null | grep -c 'Slow Consumer')"
    echo "redis_output_buffer=$(cat "$OUT"/redis-*.log 2>/dev/null | grep -c 'output buffer limits')"
    echo "hermes_sendq=$(cat "$OUT"/hermes*.log 2>/dev/null | grep -c 'disconnected: sendq')"
    echo "hermes_leak=$(cat "$OUT"/hermes*.log 2>/dev/null | grep -c 'LEAK:')"
    echo "hermes_errors=$(cat "$OUT"/hermes*.log 2>/dev/null | grep -c '\[ERROR\]\|Exception')"
} >>"$META"
gzip -f "$OUT"/*.log 2>/dev/null

report_args=(--raw "$RAW" --meta "$META" --out "$OUT")
[ -n "$DOC" ] && report_args+=(--doc "$DOC")
python3 bench/report.py render "${report_args[@]}" || { log "report failed"; exit 1; }
cat "$OUT/summary.md"
log "raw key=value lines: $RAW; commands: $CMDS${DOC:+; updated $DOC}"
