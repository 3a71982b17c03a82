# bench/processes.sh - sourced by bench/cluster-fanout.sh and bench/cluster-soak.sh: free loopback ports, and
# servers started in the background and stopped by their PIDs (also on exit, Ctrl-C or an error).
# The sourcing script defines log (one status line to standard error) and OUT (its output folder).

STARTED=() # PIDs in start order; stopped in reverse, so the nodes stop before the Redis they drain to

kill_pid() { # pid [grace in tenths of a second, default 100]: TERM, then KILL once the grace is over
    local p=$1 grace=${2:-100} i
    kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null
    for i in $(seq 1 "$grace"); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}

stop_started() { # every started process, last first
    local i
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do kill_pid "${STARTED[$i]}" "${KILL_GRACE:-100}"; done
    STARTED=()
}
trap stop_started EXIT
trap 'stop_started; exit 130' INT TERM

TAKEN=" "
free_port() { # an ephemeral port nothing listens on, never one handed out before in this run
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

await_listen() { # name pid port: returns once port listens and, for hermes* and node-* (HermesNet servers), once it logged `listening on` (at most 90 s); exits the script if pid dies first
    local name=$1 p=$2 port=$3 i
    for i in $(seq 1 900); do
        kill -0 "$p" 2>/dev/null || { log "$name died at start-up:"; tail -5 "$OUT/$name.log" >&2; exit 1; }
        # a HermesNet server listens as soon as it is bound but takes clients once `listening on` is logged
        # (after its warm-up): a flood sent earlier would wait in the backlog while it warms up
        if ss -Htln "sport = :$port" 2>/dev/null | grep -q . \
            && case $name in hermes* | node-*) grep -q "listening on" "$OUT/$name.log" 2>/dev/null ;; *) true ;; esac; then
            log "started $name pid=$p port=$port"
            return 0
        fi
        sleep 0.1
    done
    log "$name did not listen on $port within 90 s"
    exit 1
}
