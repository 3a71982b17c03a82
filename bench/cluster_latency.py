#!/usr/bin/env python3
"""bench/cluster_latency.py - added latency of a chat line that crosses nodes (docs/cluster.md).

Starts redis-server and three `hermes-server --cluster` nodes (the packaged launcher; build first with
`mvn -q -DskipTests package`), one sender on node 1 and two receivers: one on node 1 (the local path)
and one on node 2 (through Redis). Every line goes to both receivers, so the two latency columns are
measured side by side on the same lines. Python stdlib only; 127.0.0.1 only.

Usage: [WARMUP=10] bench/cluster_latency.py [RATE msgs/s, default 2000] [SECONDS, default 5]
"""
import os, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "hermes-server/target/hermes-server/bin/hermes-server")
RATE = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 5
WARMUP = float(os.environ.get("WARMUP", "10"))  # seconds at RATE before measuring: the JVMs' JIT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=90):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


def reader(sock, name, sink, done):
    buf = b""
    while not done.is_set():
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        if not data:
            return
        now = time.perf_counter_ns()
        buf += data
        *lines, buf = buf.split(b"\n")
        for line in lines:
            parts = line.split(b" ")
            if parts[0] == b"MSG" and len(parts) >= 4 and parts[3].startswith(b"t"):
                sink.append((int(parts[3][1:]), now))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] / 1e6


def main():
    tmp = tempfile.mkdtemp(prefix="hermes-clat")
    rport = free_port()
    procs = [subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                               "--dir", tmp], stdout=subprocess.DEVNULL)]
    try:
        wait_port(rport)
        ports = []
        for i in range(3):
            port = free_port()
            ports.append(port)
            procs.append(subprocess.Popen([LAUNCHER, "--host", "127.0.0.1", "--port", str(port), "--quiet",
                                           "--tick-interval", "off", "--max-clients", "100",
                                           "--cluster", f"redis://127.0.0.1:{rport}", "--node-id", f"n{i + 1}"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            wait_port(port)
        time.sleep(2)  # every node has applied the log to its end
        sender = socket.create_connection(("127.0.0.1", ports[0]))
        local = socket.create_connection(("127.0.0.1", ports[0]))
        remote = socket.create_connection(("127.0.0.1", ports[1]))
        done = threading.Event()
        got = {"local": [], "remote": []}
        for s, name in ((local, "local"), (remote, "remote")):
            s.settimeout(0.5)
            threading.Thread(target=reader, args=(s, name, got[name], done), daemon=True).start()
        time.sleep(1)
        interval = 1e9 / RATE
        for phase, duration in (("warm-up", WARMUP), ("measured", SECONDS)):
            n = int(RATE * duration)
            start = time.perf_counter_ns()
            for k in range(n):
                wait = (start + k * interval - time.perf_counter_ns()) / 1e9
                if wait > 0:
                    time.sleep(wait)  # pacing; sleeping leaves the cores to the servers
                sender.sendall(b"t%d\n" % time.perf_counter_ns())
            time.sleep(3)
        done.set()
        for name in got:  # the measured phase only: lines sent after the warm-up
            got[name][:] = [(s, r) for s, r in got[name] if s >= start]
        print(f"{RATE} msgs/s for {SECONDS:g} s, one sender on node 1")
        print("receiver            lines    p50 ms   p99 ms   max ms")
        for name in ("local", "remote"):
            lat = [r - s for s, r in got[name]]
            label = "node 1 (local)" if name == "local" else "node 2 (via Redis)"
            print(f"{label:18} {len(lat):7d} {pct(lat, .5):8.2f} {pct(lat, .99):8.2f} {max(lat) / 1e6:8.2f}")
    finally:
        for p in procs[1:]:
            p.terminate()
        for p in procs[1:]:
            p.wait(30)
        procs[0].terminate()
        procs[0].wait(10)


if __name__ == "__main__":
    main()
