#!/usr/bin/env bash
# Join storm (issue #12, docs/performance.md "Join storm"): N clients connect at once and the clock stops
# when every one of them has received `CLIENTS N`, the last presence line of the storm (each join sends
# JOIN and CLIENTS to everyone: N=10,000 is 100 million lines). Uses the reference load generator
# (../shared/bench/fanout.c) in idle mode with every connection in setup at once.
#
# usage: bench/joinstorm.sh [N] [SERVER_BIN ...]     (default N=10000, SERVER_BIN = this checkout's build)
# Each server is started with default flags plus --max-clients, pinned to core 1 when there are two cores,
# run one after the other; RUNS=3 repeats the whole set; PIN=0 leaves the server on every core, as users run it. Loopback only; every run stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}; shift || true
servers=("$@")
[ ${#servers[@]} -eq 0 ] && servers=(hermes-server/target/hermes-server/bin/hermes-server)
runs=${RUNS:-1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fanout_src=${FANOUT_SRC:-../shared/bench/fanout.c}
cc -O2 -o "$work/fanout" "$fanout_src"
ulimit -n $((n * 2 + 1000)) 2>/dev/null || true
pin_server=""; pin_load=""
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then pin_server="taskset -c 1"; pin_load="taskset -c 0"; fi
port=18300
for r in $(seq 1 "$runs"); do
  for bin in "${servers[@]}"; do
    port=$((port + 1))
    $pin_server "$bin" --host 127.0.0.1 --port "$port" --max-clients "$((n + 10))" > "$work/server.log" 2>&1 &
    pid=$!
    # ready when it says so: a HermesNet server holds connections in the backlog while it warms up, so a
    # connect that succeeds does not mean it takes clients yet (and the probe would be a client of its own)
    for _ in $(seq 1 300); do grep -q "listening on" "$work/server.log" && break; sleep 0.1; done
    out=$($pin_load "$work/fanout" --proto line --ready-match "CLIENTS $n" --port "$port" --idle "$n" \
        --conc "$n" --hold 1 --setup-timeout 300 --server-pid "$pid" --kv 2>&1 || true)
    setup=$(echo "$out" | grep -o "setup_s=[0-9.]*" | head -1 | cut -d= -f2 || true)
    if [ -z "$setup" ]; then
      echo "$out" | tail -3 >&2
      keep=bench/out/joinstorm-failed-$(date +%Y%m%d-%H%M%S).log
      mkdir -p bench/out && cp "$work/server.log" "$keep" && echo "server log kept in $keep" >&2
    fi
    echo "run=$r server=$bin clients=$n every_presence_line_s=${setup:-failed}"
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
done
