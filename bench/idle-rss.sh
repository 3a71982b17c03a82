#!/usr/bin/env bash
# bench/idle-rss.sh - RSS per idle connection, as users and operators see it: HermesNet (ticks off and ticks
# every 1 s) side by side with redis-server and nats-server, in one run, the same N idle clients each.
#
# For every server in turn: a fresh server (SERVER_CORES), then the C generator `fanout` (../shared/bench/
# fanout.c, the one bench/run.sh uses; it speaks the line protocol, RESP and NATS, so every server is held
# by the same client) on core 0 opens N connections with the handshake (HermesNet: until WELCOME; redis:
# SUBSCRIBE; nats: CONNECT + SUB), holds them HOLD seconds and reads the server's VmRSS before and after:
# (after - before) / N is the KiB per connection; the summary also shows the totals, which users see too.
# 127.0.0.1 only; a fixed count; every server is stopped by its PID.
#
# Usage: bench/idle-rss.sh                      (after `mvn -q -DskipTests package`; ~5-10 min for 10,000)
#        N=2000 SERVERS="redis hermes" bench/idle-rss.sh      (a quick look)
#        NMT=1 bench/idle-rss.sh                (HermesNet with Native Memory Tracking: where the RSS goes)
#
# Knobs:
#   N=10000            idle connections per server
#   HOLD=5             seconds they are held once all are ready
#   SERVERS="redis nats hermes hermes-ticks"   hermes = ticks off, hermes-ticks = --tick-interval 1s
#   SERVER=            the hermes-server launcher (default: the one under hermes-server/target/)
#   HERMES_JAVA_OPTS=  JAVA_OPTS of the HermesNet JVM (the launcher's own defaults apply first)
#   NMT=0              1: HermesNet runs with -XX:NativeMemoryTracking=summary; when all N are connected the
#                      script saves `jcmd VM.native_memory summary`, `jcmd GC.heap_info` and the largest
#                      `pmap -x` mappings to OUT (NMT itself costs a little memory: compare runs without it)
#   SERVER_CORES=0-1   taskset core list of the servers (default: both cores, as users run them; the generator
#                      runs on core 0). A JVM that sees one core picks the serial collector, on more G1
#                      (unless the launcher names one), so pinning the server hides what users get
#   PORT_BASE=18400    ports: PORT_BASE + 0, 1, 2, ... (one per server of the run)
#   SETUP_TIMEOUT=600  seconds to open the N connections (HermesNet's join storm sends ~N^2 presence lines)
#   OUT=bench/out/idle-rss-<timestamp>   logs, raw fanout lines and the summary
#
# Only figures of the same run mean anything: the box is shared and noisy.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
N=${N:-10000}; HOLD=${HOLD:-5}; SERVERS=${SERVERS:-"redis nats hermes hermes-ticks"}
NMT=${NMT:-0}; SERVER_CORES=${SERVER_CORES:-0-1}; PORT_BASE=${PORT_BASE:-18400}; SETUP_TIMEOUT=${SETUP_TIMEOUT:-600}
HERMES_JAVA_OPTS=${HERMES_JAVA_OPTS:-}
SRV=${SERVER:-$(find hermes-server/target -path '*/bin/hermes-server' -type f 2>/dev/null | head -n 1)}
OUT=${OUT:-bench/out/idle-rss-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
FANOUT="$OUT/fanout"
gcc -O2 -Wall -o "$FANOUT" "$ROOT/../shared/bench/fanout.c" || { echo "cannot build fanout"; exit 1; }
for s in $SERVERS; do
    case $s in
        redis) command -v redis-server >/dev/null || { echo "missing redis-server (apt-get install -y redis-server)"; exit 1; } ;;
        nats) command -v nats-server >/dev/null || { echo "missing nats-server (apt-get install -y nats-server)"; exit 1; } ;;
        hermes*) [ -x "$SRV" ] || { echo "no bin/hermes-server: run mvn -q -DskipTests package first"; exit 1; } ;;
        *) echo "unknown server $s"; exit 1 ;;
    esac
done
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
[ "$(ulimit -n)" -gt $((N + 200)) ] || { echo "ulimit -n $(ulimit -n) is too low for N=$N"; exit 1; }

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
stop() { # pid: TERM, then KILL after 10 s
    kill "$1" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
}

i=0
: >"$OUT/raw.kv"
for s in $SERVERS; do
    port=$((PORT_BASE + i)); i=$((i + 1))
    opts=$HERMES_JAVA_OPTS
    [ "$NMT" = 1 ] && opts="$opts -XX:NativeMemoryTracking=summary"
    case $s in
        redis) cmd=(redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no
                   --dir "$OUT" --maxclients $((N + 1000))); proto=(--proto redis) ;;
        nats) cmd=(nats-server -a 127.0.0.1 -p "$port"); proto=(--proto nats) ;;
        hermes) cmd=("$SRV" --host 127.0.0.1 --port "$port" --quiet --max-clients $((N + 10)) --tick-interval 0)
                proto=(--proto line --ready-match WELCOME) ;;
        hermes-ticks) cmd=("$SRV" --host 127.0.0.1 --port "$port" --quiet --max-clients $((N + 10)) --tick-interval 1s)
                proto=(--proto line --ready-match WELCOME) ;;
    esac
    echo "JAVA_OPTS='$opts' taskset -c $SERVER_CORES ${cmd[*]}" >>"$OUT/commands.txt"
    JAVA_OPTS="$opts" taskset -c "$SERVER_CORES" "${cmd[@]}" >"$OUT/$s.log" 2>&1 &
    pid=$!
    wait_port "$port" || { echo "$s did not listen on $port"; stop "$pid"; pid=""; continue; }
    # HermesNet's port is bound before its start-up warm-up: measure from when it takes clients
    for _ in $(seq 1 300); do [ "${s#hermes}" = "$s" ] || grep -q "listening on" "$OUT/$s.log" && break; sleep 0.1; done
    sleep 2 # the JVM's start-up allocations settle before the first VmRSS reading
    args=("${proto[@]}" --host 127.0.0.1 --port "$port" --idle "$N" --hold "$HOLD" --setup-timeout "$SETUP_TIMEOUT"
          --server-pid "$pid" --label "$s" --kv)
    echo "taskset -c 0 fanout ${args[*]}" >>"$OUT/commands.txt"
    line=""
    while IFS= read -r l; do
        case $l in
            IDLE_READY*)
                echo "$s: $l"
                if [ "$NMT" = 1 ] && [ "${s#hermes}" != "$s" ]; then
                    jcmd "$pid" VM.native_memory summary >"$OUT/$s-nmt.txt" 2>&1
                    jcmd "$pid" GC.heap_info >"$OUT/$s-heap.txt" 2>&1
                    pmap -x "$pid" | sort -k3 -n -r | head -n 25 >"$OUT/$s-pmap.txt" 2>&1
                fi ;;
            *=*) line=$l ;;
        esac
    done < <(timeout $((SETUP_TIMEOUT + HOLD + 60)) taskset -c 0 "$FANOUT" "${args[@]}" 2>>"$OUT/fanout-stderr.log")
    [ -n "$line" ] || line="error=no_output"
    echo "server=$s $line" >>"$OUT/raw.kv"
    stop "$pid"; pid=""
    sleep 1
done

{
    echo "RSS per idle connection, N=$N idle clients held ${HOLD}s, $(date -u +%Y-%m-%dT%H:%MZ)"
    printf '%-14s %12s %12s %12s %9s\n' server rss_before_KiB rss_after_KiB KiB_per_conn setup_s
    while IFS= read -r l; do
        get() { echo "$l" | grep -o "$1=[^ ]*" | head -n 1 | cut -d= -f2; }
        printf '%-14s %12s %12s %12s %9s\n' "$(get server)" "$(get rss_before_kib)" "$(get rss_after_kib)" \
            "$(get kib_per_conn)" "$(get setup_s)$(echo "$l" | grep -o ' error=[a-z_]*')"
    done <"$OUT/raw.kv"
} | tee "$OUT/summary.txt"
