#!/usr/bin/env python3
"""bench/cluster_soak.py - the client side of bench/cluster-soak.sh (docs/performance.md "Cluster").

Against nodes already running (their ports on the command line), for DURATION seconds:
  - OBSERVERS clients per node stay connected throughout and each sends a chat line every ~OBS_PERIOD s;
  - WORKERS churn threads each run sessions one after another on a random node: connect, await
    WELCOME, sometimes /nick, send 0-5 chat lines, then leave one of three ways: /logout (await BYE),
    half-close (end of input; read to EOF), or an abrupt close (RST) — that last kind sends no chat,
    since a line the server never read cannot be expected anywhere.
Then it stops the churn, waits until every observer has every line (at most SETTLE_MAX s) and checks:
  1. no divergence: `/who` from one observer on every node answers the same rows (ids, names, ranks,
     rooms, addresses), and exactly the observers are left;
  2. no lost chat line: every chat line sent (by an observer, or by a churn client that left by /logout
     or end of input) reached every observer but its sender exactly once.
Prints a report; exit 0 when both hold, 1 otherwise. Python stdlib only; 127.0.0.1 only.

Usage: cluster_soak.py DURATION_SECONDS PORT [PORT...]
Environment: OBSERVERS (2), WORKERS (12), OBS_PERIOD (0.5), SETTLE_MAX (60), SEED (time)
"""
import os, random, socket, sys, threading, time

DURATION = float(sys.argv[1])
PORTS = [int(p) for p in sys.argv[2:]]
OBSERVERS = int(os.environ.get("OBSERVERS", "2"))
WORKERS = int(os.environ.get("WORKERS", "12"))
OBS_PERIOD = float(os.environ.get("OBS_PERIOD", "0.5"))
SETTLE_MAX = float(os.environ.get("SETTLE_MAX", "60"))
SEED = int(os.environ.get("SEED", str(int(time.time()))))
HOST = "127.0.0.1"

lock = threading.Lock()
sent = {}            # text -> sender tag (observer tag, or None for a churn client)
stats = {"sessions": 0, "logout": 0, "halfclose": 0, "abrupt": 0, "nick": 0, "errors": 0,
         "full": 0, "bye_other": 0}
stop = threading.Event()


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Lines:
    """A socket read line by line (bounded waits)."""

    def __init__(self, port, timeout=30):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buf = b""

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("closed by the server")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def await_prefix(self, prefix, limit=100000):
        for _ in range(limit):
            line = self.line()
            if line.startswith(prefix):
                return line
        raise TimeoutError(f"no {prefix} line")

    def send(self, text):
        self.sock.sendall(text.encode() + b"\n")


class Observer(threading.Thread):
    def __init__(self, node, k, port):
        super().__init__(daemon=True)
        self.tag = f"o{node}x{k}"
        self.node = node
        self.conn = Lines(port)
        welcome = self.conn.await_prefix("WELCOME")
        self.id = welcome.split()[1]
        self.got = {}         # text -> times received
        self.who = None
        self.who_rows = []
        self.who_done = threading.Event()
        self.error = None
        self.send_lock = threading.Lock()

    def run(self):  # the reader: every line until the socket ends
        while True:
            try:
                line = self.conn.line()
            except socket.timeout:
                continue  # a quiet stretch (30 s without a line) is fine; keep reading
            except (EOFError, OSError) as e:
                if not stop.is_set() or self.who is None:
                    self.error = f"connection lost: {e}"
                return
            if line.startswith("MSG "):
                text = line.split(" ", 3)[3]
                with lock:
                    self.got[text] = self.got.get(text, 0) + 1
            elif line.startswith("WHO "):
                self.who_rows.append(line)
            elif line.startswith("END WHO"):
                self.who = (list(self.who_rows), line)
                self.who_rows = []
                self.who_done.set()
            elif line.startswith("BYE") or line.startswith("ERROR"):
                self.error = line

    def chat(self, text):
        with self.send_lock:
            self.conn.send(text)


def session(rng, wid, n):
    port_i = rng.randrange(len(PORTS))
    try:
        c = Lines(PORTS[port_i], timeout=30)
    except OSError:
        with lock:
            stats["errors"] += 1
        return
    try:
        first = c.line()
        if not first.startswith("WELCOME"):
            with lock:
                stats["full" if "FULL" in first else "errors"] += 1
            c.sock.close()
            return
        if rng.random() < 0.3:
            c.send(f"/nick w{wid}s{n}")
            with lock:
                stats["nick"] += 1
        way = rng.choice(("logout", "halfclose", "abrupt"))
        lines = [] if way == "abrupt" else [f"c-w{wid}-s{n}-{k}" for k in range(rng.randrange(6))]
        for text in lines:
            with lock:
                sent[text] = None
            c.send(text)
            time.sleep(rng.random() * 0.2)
        time.sleep(rng.random() * 1.0)
        if way == "logout":
            c.send("/logout")
            c.await_prefix("BYE")
        elif way == "halfclose":
            c.sock.shutdown(socket.SHUT_WR)
            try:
                while True:
                    c.line()
            except EOFError:
                pass
        else:
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        with lock:
            stats[way] += 1
            stats["sessions"] += 1
    except (OSError, EOFError, TimeoutError) as e:
        with lock:
            stats["errors"] += 1
        log(f"churn worker {wid} session {n} on port {PORTS[port_i]}: {e}")
    finally:
        c.sock.close()


def worker(wid):
    rng = random.Random(SEED * 1000 + wid)
    n = 0
    while not stop.is_set():
        n += 1
        session(rng, wid, n)


def main():
    log(f"soak: {DURATION:g} s on ports {PORTS}, {OBSERVERS} observers per node, {WORKERS} churn workers, seed {SEED}")
    observers = [Observer(node + 1, k, port) for node, port in enumerate(PORTS) for k in range(OBSERVERS)]
    for o in observers:
        o.start()
    time.sleep(2)  # every node has applied every observer's join: their chat reaches all of them
    workers = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(WORKERS)]
    for w in workers:
        w.start()
    end = time.time() + DURATION
    seq = 0
    next_report = time.time() + 60
    while time.time() < end:
        for o in observers:
            seq += 1
            text = f"o-{o.tag}-{seq}"
            with lock:
                sent[text] = o.tag
            o.chat(text)
        time.sleep(OBS_PERIOD)
        if time.time() >= next_report:
            next_report += 60
            with lock:
                log(f"running: {stats['sessions']} churn sessions, {len(sent)} chat lines sent")
    stop.set()
    for w in workers:
        w.join(60)
    log("churn stopped; waiting for the last lines")

    def missing():
        with lock:
            return sum(1 for text, who in sent.items() for o in observers
                       if who != o.tag and text not in o.got)
    deadline = time.time() + SETTLE_MAX
    while time.time() < deadline and missing():
        time.sleep(0.5)
    time.sleep(2)  # the last leaves, so /who shows the end state
    # 1. divergence
    whos = []
    for node in range(len(PORTS)):
        o = observers[node * OBSERVERS]
        o.who_done.clear()
        o.chat("/who")
        if not o.who_done.wait(30):
            whos.append(None)
        else:
            whos.append(o.who)
    ok = True
    if any(w is None for w in whos):
        log("FAIL: a node did not answer /who")
        ok = False
    elif any(w != whos[0] for w in whos):
        log("FAIL: /who differs between nodes:")
        for i, w in enumerate(whos):
            log(f"  node {i + 1}: {w[1]}: " + " | ".join(w[0]))
        ok = False
    else:
        ids = sorted(r.split()[1] for r in whos[0][0])
        want = sorted(o.id for o in observers)
        if ids != want:
            log(f"FAIL: /who lists ids {ids}, the observers are {want}")
            ok = False
        else:
            log(f"/who identical on all {len(PORTS)} nodes: {whos[0][1]}, exactly the {len(want)} observers")
    # 2. lost or doubled chat lines
    with lock:
        expected = lost = dups = 0
        examples = []
        for text, who in sent.items():
            for o in observers:
                if who == o.tag:
                    continue
                expected += 1
                k = o.got.get(text, 0)
                if k == 0:
                    lost += 1
                    if len(examples) < 5:
                        examples.append(f"{text} not at {o.tag}")
                elif k > 1:
                    dups += k - 1
        churn_lines = sum(1 for who in sent.values() if who is None)
    log(f"chat: {len(sent)} lines sent ({churn_lines} by churn clients), {expected} deliveries expected "
        f"to observers, {lost} lost, {dups} doubled")
    if lost or dups:
        ok = False
        log("FAIL: " + "; ".join(examples))
    for o in observers:
        if o.error:
            log(f"FAIL: observer {o.tag}: {o.error}")
            ok = False
    log(f"churn: {stats['sessions']} sessions ({stats['logout']} /logout, {stats['halfclose']} end of input, "
        f"{stats['abrupt']} abrupt), {stats['nick']} /nick, {stats['full']} refused FULL, {stats['errors']} errors")
    if stats["errors"]:
        ok = False
        log("FAIL: churn sessions failed (see above)")
    print("RESULT " + ("PASS" if ok else "FAIL"), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
