#!/usr/bin/env bash
# Two HermesNet builds side by side with the anchors, in one run: ../shared/bench/matrix.sh's method (server
# core 1, generator core 0, same fanout flags, RUNS runs each interleaved, median), for a before/after
# comparison of a change (issue #13: "ratios no worse than before the change in the same run").
# usage: bench/matrix-ab.sh BEFORE_BIN AFTER_BIN      (each a bin/hermes-server launcher)
# Knobs: RUNS=3, SCEN="10:200000 100:50000 1000:5000". Prints, per scenario and build, the medians in M delivered
# msgs/s and the ratios to the better anchor, with --quiet and with default flags.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
A=$1; B=$2
RUNS=${RUNS:-3}; SCEN=${SCEN:-"10:200000 100:50000 1000:5000"}
FANOUT_SRC=${FANOUT_SRC:-$HERE/../../shared/bench/fanout.c}
for t in gcc nats-server redis-server taskset; do command -v $t >/dev/null || { echo "missing $t"; exit 1; }; done
W=${WORK:-/tmp/hermes-matrix-ab}; mkdir -p "$W"
[ -x "$W/fanout" ] || gcc -O2 -Wall -o "$W/fanout" "$FANOUT_SRC" || exit 1
ulimit -n 20000 2>/dev/null
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.5; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
kv() { sed -n 's/.*delivered_per_s=\([0-9.]*\).*/\1/p'; }
run() { taskset -c 0 timeout 200 "$W/fanout" --host 127.0.0.1 -s $1 -m $2 --size 64 --timeout 180 "${@:3}" --kv 2>/dev/null | tail -n 1 | kv; }
declare -A port=([aq]=17421 [ad]=17422 [bq]=17423 [bd]=17424)
taskset -c 1 "$A" --port ${port[aq]} --quiet --max-clients 20000 --tick-interval 0 >"$W/aq.log" 2>&1 & pids+=($!)
taskset -c 1 "$A" --port ${port[ad]} --max-clients 20000 >"$W/ad.log" 2>&1 & pids+=($!)
taskset -c 1 "$B" --port ${port[bq]} --quiet --max-clients 20000 --tick-interval 0 >"$W/bq.log" 2>&1 & pids+=($!)
taskset -c 1 "$B" --port ${port[bd]} --max-clients 20000 >"$W/bd.log" 2>&1 & pids+=($!)
np=17425; taskset -c 1 nats-server -a 127.0.0.1 -p $np >"$W/nats.log" 2>&1 & pids+=($!)
rp=17426; taskset -c 1 redis-server --bind 127.0.0.1 --port $rp --save '' --appendonly no --daemonize no --dir "$W" --maxclients 11000 >"$W/redis.log" 2>&1 & pids+=($!)
for p in ${port[@]} $np $rp; do wait_port $p || { echo "port $p did not listen"; exit 1; }; done
for sc in $SCEN; do S=${sc%%:*}; M=${sc#*:}
  for k in aq ad bq bd; do run $S $M --proto line --port ${port[$k]} >/dev/null; done   # JIT warm-up, discarded
  declare -A res=()
  for i in $(seq 1 "$RUNS"); do
    for k in aq ad bq bd; do res[$k]+=" $(run $S $M --proto line --port ${port[$k]})"; done
    res[n]+=" $(run $S $M --proto nats --port $np)"; res[r]+=" $(run $S $M --proto redis --port $rp)"
  done
  python3 - "$S" "${res[aq]}" "${res[ad]}" "${res[bq]}" "${res[bd]}" "${res[n]}" "${res[r]}" <<'PY'
import sys, statistics as st
S = sys.argv[1]
med = [st.median([float(x) for x in a.split()] or [0]) for a in sys.argv[2:8]]
aq, ad, bq, bd, n, r = med; best = max(n, r) or 1
print(f"S={S} nats={n/1e6:.2f}M redis={r/1e6:.2f}M | before: quiet={aq/1e6:.2f}M ({aq/best:.2f}x) default={ad/1e6:.2f}M ({ad/best:.2f}x)"
      f" | after: quiet={bq/1e6:.2f}M ({bq/best:.2f}x) default={bd/1e6:.2f}M ({bd/best:.2f}x)")
PY
done
