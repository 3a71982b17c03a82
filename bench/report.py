#!/usr/bin/env python3
"""Tables, targets and SVG charts for bench/run.sh (python3 standard library only).

  report.py render --raw RAW.kv --meta META.kv --out DIR [--doc docs/performance.md]
      writes DIR/summary.md, DIR/performance-fanout.svg and DIR/performance-idle.svg; with --doc also
      replaces the doc's part between the bench:results markers and writes the charts beside it.
  report.py placeholder --doc docs/performance.md
      puts the "not yet run" section and placeholder charts in place.
  report.py parse-load FILE        hermes-load --json output -> key=value line for raw.kv
  report.py parse-soak FILE N      SoakMain report text (N clients) -> key=value line for raw.kv

raw.kv holds one run per line, space-separated key=value pairs: server, scen (S:M[:RATE], idle,
settle-probe or ticks), run, warm (1 = discarded warm-up), then fanout's --kv fields.
"""
import json
import os
import re
import statistics
import sys
from xml.sax.saxutils import escape

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"
FANOUT_SVG = "performance-fanout.svg"
IDLE_SVG = "performance-idle.svg"

SERVER_ORDER = ["relay", "nats", "redis", "hermes", "hermes-ticks", "hermes-default"]
SERVER_LABEL = {
    "relay": "relay (C epoll baseline)",
    "nats": "nats-server",
    "redis": "redis-server",
    "hermes": "HermesNet, ticks off",
    "hermes-ticks": "HermesNet, ticks every 1 s",
    "hermes-default": "HermesNet, default flags (logging on, ticks every 1 s)",
}
COLOR = {"relay": "#9e9e9e", "nats": "#2b7bba", "redis": "#d6372e", "hermes": "#2ca02c", "hermes-ticks": "#98df8a", "hermes-default": "#17becf"}
DEFAULTS = {
    "runs": "3",
    "scenarios": "10:200000 100:50000 1000:5000 100:10000:2000",
    "size": "64",
    "idle_n": "10000",
    "tick_clients": "10000",
    "tick_duration": "30s",
}
TICK_P99_TARGET_MS = 50


# ----------------------------------------------------------------------------- input

def parse_kv_line(line):
    d = {}
    for tok in line.split():
        k, sep, v = tok.partition("=")
        if sep:
            d[k] = v
    return d


def read_raw(path):
    with open(path, encoding="utf-8") as f:
        return [parse_kv_line(line) for line in f if line.strip()]


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, sep, v = line.rstrip("\n").partition("=")
            if sep:
                meta[k] = v
    return meta


def num(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return None


def scenario(sc):
    """'S:M[:RATE]' -> (S, M, RATE) with RATE 0 for a flood run."""
    parts = [int(p) for p in sc.split(":")]
    return parts[0], parts[1], parts[2] if len(parts) > 2 else 0


def scen_label(sc):
    s, m, rate = scenario(sc)
    text = f"S={s:,} M={m:,}"
    return text + (f" at {rate:,} msg/s (paced)" if rate else " flood")


def ordered(servers):
    known = [s for s in SERVER_ORDER if s in servers]
    return known + sorted(s for s in servers if s not in SERVER_ORDER)


# ----------------------------------------------------------------------------- aggregation

class Agg:
    """The measured (non-warm-up) runs of one server in one scenario."""

    def __init__(self):
        self.runs = []

    def values(self, key):
        return [v for v in (num(r, key) for r in self.runs if "error" not in r) if v is not None]

    def med(self, key):
        v = self.values(key)
        return statistics.median(v) if v else None

    def failed(self):
        return sum(1 for r in self.runs if "error" in r or r.get("status", "ok") != "ok")

    def first_error(self):
        """The first failed run's error (or status), for a table cell; None when every run was fine."""
        for r in self.runs:
            if "error" in r or r.get("status", "ok") != "ok":
                return r.get("error") or r.get("status")
        return None

    def total(self, *keys):
        return int(sum(sum(self.values(k)) for k in keys))


def aggregate(rows):
    thr, idle, probes, ticks = {}, {}, [], []
    for r in rows:
        if r.get("warm") == "1":
            continue
        sc = r.get("scen", "")
        if sc == "idle":
            idle.setdefault(r["server"], Agg()).runs.append(r)
        elif sc == "settle-probe":
            probes.append(r)
        elif sc == "ticks":
            ticks.append(r)
        elif re.fullmatch(r"\d+:\d+(:\d+)?", sc):
            thr.setdefault((r["server"], sc), Agg()).runs.append(r)
    return thr, idle, probes, ticks


# ----------------------------------------------------------------------------- formatting

def rate(x):
    return "–" if x is None else f"{x / 1e6:.2f}M"


def us(x):
    return "–" if x is None else f"{x:,.0f}"


def cpu(x):
    return "–" if x is None or x < 0 else f"{x:.2f}"


def ratio_cell(r):
    return "n/a" if r is None else f"{r:.2f}×"


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


# ----------------------------------------------------------------------------- targets

def targets(meta, thr, idle, ticks):
    rows = []
    scens = meta.get("scenarios", "").split()
    flood = [sc for sc in scens if scenario(sc)[2] == 0]
    paced = [sc for sc in scens if scenario(sc)[2] != 0]

    def med(server, sc, key):
        a = thr.get((server, sc))
        return a.med(key) if a else None

    for sc in flood:
        h = med("hermes", sc, "delivered_per_s")
        anchors = [(med(s, sc, "delivered_per_s"), s) for s in ("nats", "redis")]
        anchors = [a for a in anchors if a[0] is not None]
        best, who = max(anchors) if anchors else (None, None)
        r = h / best if h is not None and best else None
        ht = med("hermes-ticks", sc, "delivered_per_s")
        extra = f"; ticks on: {ratio_cell(ht / best)}" if ht is not None and best else ""
        hd = med("hermes-default", sc, "delivered_per_s")
        extra += f"; default flags: {ratio_cell(hd / best)}" if hd is not None and best else ""
        failed = failure(thr.get(("hermes", sc)))
        rows.append([f"delivered msg/s ≥ 1.0× max(nats, redis), {scen_label(sc)}", failed or rate(h),
                     f"{rate(best)} ({who})" if who else "–", ratio_cell(r) + extra,
                     verdict(False if failed and best else None if r is None else r >= 1.0)])
    for sc in paced[:1]:
        h, rd = med("hermes", sc, "p99_us"), med("redis", sc, "p99_us")
        r = h / rd if h is not None and rd else None
        failed = failure(thr.get(("hermes", sc)))
        rows.append([f"p99 latency ≤ redis, {scen_label(sc)}", failed or f"{us(h)} µs", f"{us(rd)} µs (redis)",
                     ratio_cell(r), verdict(False if failed and rd else None if r is None else r <= 1.0)])
    h = idle["hermes"].med("kib_per_conn") if "hermes" in idle else None
    rd = idle["redis"].med("kib_per_conn") if "redis" in idle else None
    r = h / rd if h is not None and rd else None
    failed = failure(idle.get("hermes"))
    rows.append([f"KiB per idle connection ≤ redis ({count(meta.get('idle_n'))} idle clients, ticks off)",
                 failed or ("–" if h is None else f"{h:.2f}"), "–" if rd is None else f"{rd:.2f} (redis)",
                 ratio_cell(r), verdict(False if failed and rd else None if r is None else r <= 1.0)])
    if not ticks:
        rows.append(["ticks at 1 s: tick p99 < 50 ms and every tick arrives", "not run", "–", "–", "n/a"])
        return rows
    t = ticks[-1]
    p99 = num(t, "tick_p99_ms")
    allt = t.get("all_ticks")
    ok = None if p99 is None or allt not in ("yes", "no") else (p99 < TICK_P99_TARGET_MS and allt == "yes")
    if "error" in t and t["error"] != "not_built":
        cell, ok = f"failed ({t['error']})", False
    else:
        cell = "–" if p99 is None else f"p99 {p99:g} ms, all ticks: {allt or '?'}"
    rows.append([f"{count(meta.get('tick_clients'))} clients, ticks at 1 s: tick p99 < {TICK_P99_TARGET_MS} ms and "
                 "every tick arrives", cell, f"< {TICK_P99_TARGET_MS} ms",
                 "–" if p99 is None else f"{p99 / TICK_P99_TARGET_MS:.2f}× of the bound", verdict(ok)])
    return rows


def failure(agg):
    """'failed (why)' when HermesNet has no usable run of a target's scenario, else None."""
    if agg is None or agg.values("delivered_per_s") or agg.values("kib_per_conn"):
        return None
    return f"failed ({agg.first_error()})"


def count(v):
    try:
        return f"{int(v):,}"
    except (TypeError, ValueError):
        return "?"


# ----------------------------------------------------------------------------- charts

def nice_step(span, ticks=5):
    raw = span / ticks
    mag = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def svg_text(x, y, s, size=12, anchor="middle", weight="normal", fill="#222", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{extra}>{escape(s)}</text>')


def svg_doc(w, h, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">\n'
            f'<rect width="{w}" height="{h}" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")


def placeholder_svg(title):
    w, h = 860, 200
    return svg_doc(w, h, [svg_text(w / 2, 40, title, 15, weight="bold"),
                          svg_text(w / 2, 110, "not yet run: bench/run.sh writes this chart", 14, fill="#777")])


def fanout_chart(meta, thr):
    scens = [sc for sc in meta.get("scenarios", "").split() if scenario(sc)[2] == 0]
    servers = ordered({s for (s, sc) in thr if sc in scens})
    title = (f"Fan-out: delivered messages/s, median of {meta.get('runs', '?')} (whiskers: min–max); "
             f"{meta.get('size', '?')} B payload, server on 1 core")
    if not scens or not servers:
        return placeholder_svg(title)
    w, h, left, right, top, bottom = 860, 440, 70, 20, 50, 95
    pw, ph = w - left - right, h - top - bottom
    top_val = max([max(a.values("delivered_per_s") or [0]) for a in thr.values()] + [1])
    step = nice_step(top_val)
    ymax = step * (int(top_val / step) + 1)
    y = lambda v: top + ph - ph * v / ymax
    body = [svg_text(w / 2, 24, title, 14, weight="bold")]
    v = 0
    while v <= ymax + step / 2:
        body.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{w - right}" y2="{y(v):.1f}" stroke="#ddd"/>')
        body.append(svg_text(left - 6, y(v) + 4, f"{v / 1e6:g}M" if v else "0", 11, anchor="end"))
        v += step
    body.append(svg_text(16, top + ph / 2, "delivered msg/s", 12, extra=f' transform="rotate(-90 16 {top + ph / 2:.1f})"'))
    gw = pw / len(scens)
    bw = gw * 0.8 / len(servers)
    for gi, sc in enumerate(scens):
        gx = left + gi * gw + gw * 0.1
        for si, s in enumerate(servers):
            a = thr.get((s, sc))
            if not a or not a.values("delivered_per_s"):
                continue
            vals = a.values("delivered_per_s")
            m, lo, hi = statistics.median(vals), min(vals), max(vals)
            x = gx + si * bw
            body.append(f'<rect x="{x + 1:.1f}" y="{y(m):.1f}" width="{bw - 2:.1f}" height="{y(0) - y(m):.1f}" '
                        f'fill="{COLOR.get(s, "#555")}"><title>{escape(SERVER_LABEL.get(s, s))}: {rate(m)}</title></rect>')
            cx = x + bw / 2
            if hi > lo:
                body.append(f'<path d="M{cx:.1f} {y(lo):.1f}V{y(hi):.1f}M{cx - 4:.1f} {y(lo):.1f}h8M{cx - 4:.1f} '
                            f'{y(hi):.1f}h8" stroke="#333" fill="none"/>')
            body.append(svg_text(cx, y(hi) - 5, f"{m / 1e6:.2f}", 10))
        body.append(svg_text(left + gi * gw + gw / 2, top + ph + 18, scen_label(sc), 12))
    body.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{w - right}" y2="{y(0):.1f}" stroke="#333"/>')
    lx = left
    for s in servers:
        body.append(f'<rect x="{lx}" y="{h - 42}" width="12" height="12" fill="{COLOR.get(s, "#555")}"/>')
        label = SERVER_LABEL.get(s, s)
        body.append(svg_text(lx + 16, h - 32, label, 12, anchor="start"))
        lx += 28 + 6.6 * len(label)
    body.append(svg_text(left, h - 10, f"Bar labels: millions of deliveries/s. Run {meta.get('date', '?')}, "
                         f"commit {meta.get('git', '?')}.", 10, anchor="start", fill="#666"))
    return svg_doc(w, h, body)


def idle_chart(meta, idle):
    servers = ordered(s for s, a in idle.items() if a.values("kib_per_conn"))
    title = (f"Server RSS per idle connection, KiB ({count(meta.get('idle_n'))} connections; "
             f"median of {meta.get('runs', '?')}, whiskers min–max)")
    if not servers:
        return placeholder_svg(title)
    row, left, right, top = 34, 200, 80, 44
    w, h = 860, top + row * len(servers) + 40
    pw = w - left - right
    top_val = max(max(idle[s].values("kib_per_conn")) for s in servers) or 1
    step = nice_step(top_val)
    xmax = step * (int(top_val / step) + 1)
    x = lambda v: left + pw * max(v, 0) / xmax
    body = [svg_text(w / 2, 24, title, 14, weight="bold")]
    v = 0
    while v <= xmax + step / 2:
        body.append(f'<line x1="{x(v):.1f}" y1="{top}" x2="{x(v):.1f}" y2="{top + row * len(servers)}" stroke="#ddd"/>')
        body.append(svg_text(x(v), top + row * len(servers) + 16, f"{v:g}", 11))
        v += step
    for i, s in enumerate(servers):
        vals = idle[s].values("kib_per_conn")
        m, lo, hi = statistics.median(vals), min(vals), max(vals)
        yy = top + i * row
        body.append(svg_text(left - 8, yy + row / 2 + 4, SERVER_LABEL.get(s, s), 12, anchor="end"))
        body.append(f'<rect x="{left}" y="{yy + 6}" width="{x(m) - left:.1f}" height="{row - 12}" '
                    f'fill="{COLOR.get(s, "#555")}"/>')
        cy = yy + row / 2
        if hi > lo:
            body.append(f'<path d="M{x(lo):.1f} {cy}H{x(hi):.1f}M{x(lo):.1f} {cy - 4}v8M{x(hi):.1f} {cy - 4}v8" '
                        f'stroke="#333" fill="none"/>')
        body.append(svg_text(x(hi) + 6, cy + 4, f"{m:.2f} KiB", 11, anchor="start"))
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + row * len(servers)}" stroke="#333"/>')
    return svg_doc(w, h, body)


# ----------------------------------------------------------------------------- the results section

def results_section(meta, thr, idle, probes, ticks, chart_prefix):
    lines = [f"<!-- generated by bench/run.sh (bench/report.py); edits here are overwritten -->", "",
             f"### Run of {meta.get('date', '?')}", ""]
    nondefault = [f"{k.upper()}={meta.get(k)!r}" for k, v in DEFAULTS.items() if meta.get(k, v) != v]
    if nondefault:
        lines += [f"> **Non-default configuration** ({', '.join(nondefault)}): a quick look, not the "
                  "comparison the targets refer to.", ""]
    lines += [
        f"- results: `{meta.get('out', '?')}/` (raw.kv, commands.txt, server logs)",
        f"- commit: `{meta.get('git', '?')}`",
        f"- machine: {meta.get('host', '?')}; servers on core {meta.get('server_core', '?')}, "
        f"generator on core {meta.get('gen_core', '?')}",
        f"- {meta.get('java', '?')}; {meta.get('hermes', '?') or 'hermes-server -V: ?'}",
        f"- {meta.get('nats', '?') or 'nats-server: not run'}; {meta.get('redis', '?') or 'redis-server: not run'}",
        f"- {meta.get('runs')} measured runs per scenario and server (median, min–max), "
        f"{meta.get('warmup')} discarded warm-up run(s) of each scenario per HermesNet JVM, "
        f"payload {meta.get('size')} B, P=1; HermesNet `JAVA_OPTS`: `{meta.get('hermes_java_opts') or '(none)'}`",
        "",
        "#### Targets (HermesNet ticks off against the better anchor of the same run)",
        "",
        md_table(["target", "HermesNet", "reference", "ratio", "verdict"], targets(meta, thr, idle, ticks)),
        "",
        "#### Fan-out throughput",
        "",
        f"![delivered messages per second per scenario and server]({chart_prefix}{FANOUT_SVG})",
        "",
    ]
    rows = []
    for sc in meta.get("scenarios", "").split():
        for s in ordered({s for (s, c) in thr if c == sc}):
            a = thr[(s, sc)]
            d = a.values("delivered_per_s")
            rng = f" ({rate(min(d))}–{rate(max(d))})" if len(d) > 1 else ""
            rows.append([scen_label(sc), SERVER_LABEL.get(s, s),
                         (rate(statistics.median(d)) if d else f"failed ({a.first_error()})") + rng,
                         us(a.med("p50_us")), us(a.med("p99_us")), cpu(a.med("server_cpu")), cpu(a.med("gen_cpu")),
                         a.total("lost"), a.total("gaps", "dups"), f"{a.failed()}/{len(a.runs)}"])
    lines += [md_table(["scenario", "server", "delivered msg/s", "p50 µs", "p99 µs", "server CPU", "gen CPU",
                        "lost", "gaps+dups", "failed runs"], rows), ""]
    lines += ["Flood latency is queueing (p50 ≈ half the run); compare latency only in the paced scenario. "
              "CPU figures are cores used during the measured interval.", ""]
    for p in probes:
        c = num(p, "after_settle_cpu")
        if "error" in p or c is None or c < 0:
            lines.append(f"Join-storm check ({p.get('server')}): failed ({p.get('error', 'no reading')}).")
        else:
            lines.append(f"Join-storm check ({SERVER_LABEL.get(p.get('server'), p.get('server'))}): "
                         f"{p.get('conns')} clients took {float(p.get('setup_s', 0)):.1f} s to get their WELCOME; "
                         f"in the second after the 200 ms settle the server used {c:.2f} of a core "
                         f"({'the JOIN/CLIENTS storm was over before publishing' if c < 0.1 else 'the storm was still running when a run would start publishing'}).")
    if probes:
        lines.append("")

    lines += ["#### Idle memory", "",
              f"![KiB of server RSS per idle connection]({chart_prefix}{IDLE_SVG})", ""]
    rows = []
    for s in ordered(idle):
        a = idle[s]
        k = a.values("kib_per_conn")
        rows.append([SERVER_LABEL.get(s, s), a.runs[0].get("conns", "–") if k else "–",
                     us(a.med("rss_before_kib")), us(a.med("rss_after_kib")),
                     (f"{statistics.median(k):.2f}" + (f" ({min(k):.2f}–{max(k):.2f})" if len(k) > 1 else "")) if k else "–",
                     "–" if a.med("setup_s") is None else f"{a.med('setup_s'):.2f}",
                     f"{a.failed()}/{len(a.runs)}" + (f" ({a.first_error()})" if a.failed() else "")])
    if rows:
        lines += [md_table(["server", "idle conns", "RSS before KiB", "RSS after KiB", "KiB per conn",
                            "setup s", "failed runs"], rows), ""]
    else:
        lines += ["Not run (IDLE_N=0).", ""]

    lines += ["#### Ticks", ""]
    if ticks:
        t = ticks[-1]
        tool = t.get("tool", "?")
        note = ("SoakMain (hermes-load was not built): its tick delay includes the connect phase"
                if tool == "soak" else "hermes-load")
        if "error" in t:
            lines += [f"Tick test failed: `{t.get('error')}` ({note}; see ticks-stderr.log).", ""]
        else:
            lines += [md_table(["clients", "tool", "tick delay p50 ms", "p99 ms", "max ms",
                                "p99 / max ms incl. the join storm", "clients that missed ticks",
                                "every tick arrived"],
                               [[t.get("clients", "?"), note, t.get("tick_p50_ms", "?"), t.get("tick_p99_ms", "?"),
                                 t.get("tick_max_ms", "?"),
                                 f"{t.get('tick_all_p99_ms', '–')} / {t.get('tick_all_max_ms', '–')}",
                                 t.get("missed", "?"), t.get("all_ticks", "?")]]), ""]
            if "tick_all_p99_ms" in t:
                lines += ["The tick delay columns are the hold, with every client connected; the column \"incl. the join storm\" "
                          "also covers the setup, while each join sends `JOIN`/`CLIENTS` to everyone "
                          "(10,000 joins: 100 million lines).", ""]
            if t.get("rerun") == "1":
                lines += ["This tick test was re-run after the run itself (see commands.txt): the first one hung "
                          "at 3,877 of 10,000 clients, whose handshakes the kernel had dropped past the listen "
                          "backlog of 1,024. Fixed before the re-run: the backlog is now the kernel's "
                          "`somaxconn`, and hermes-load keeps at most 512 connections waiting for `WELCOME`.", ""]
    else:
        lines += ["Not run (TICK_CLIENTS=0 or TICK_TOOL=none).", ""]
    lines += ["Server-log checks over all runs: NATS `Slow Consumer` "
              f"{meta.get('nats_slow_consumer', '?')}, Redis `output buffer limits` {meta.get('redis_output_buffer', '?')}, "
              f"HermesNet `sendq` disconnects {meta.get('hermes_sendq', '?')}, `LEAK:` {meta.get('hermes_leak', '?')}, "
              f"ERROR/exception lines {meta.get('hermes_errors', '?')}.", ""]
    return "\n".join(lines)


def splice(doc, section):
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    b, e = text.find(BEGIN), text.find(END)
    if b < 0 or e < b:
        text = text.rstrip("\n") + f"\n\n## Results\n\n{BEGIN}\n{END}\n"
        b, e = text.find(BEGIN), text.find(END)
    text = text[:b + len(BEGIN)] + "\n" + section.rstrip("\n") + "\n" + text[e:]
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def render(args):
    opts = dict(zip(args[::2], args[1::2]))
    meta = read_meta(opts["--meta"])
    thr, idle, probes, ticks = aggregate(read_raw(opts["--raw"]))
    out = opts["--out"]
    charts = {FANOUT_SVG: fanout_chart(meta, thr), IDLE_SVG: idle_chart(meta, idle)}
    for name, svg in charts.items():
        write(os.path.join(out, name), svg)
    write(os.path.join(out, "summary.md"), results_section(meta, thr, idle, probes, ticks, ""))
    doc = opts.get("--doc")
    if doc:
        for name, svg in charts.items():
            write(os.path.join(os.path.dirname(doc) or ".", name), svg)
        splice(doc, results_section(meta, thr, idle, probes, ticks, ""))


def placeholder(args):
    doc = dict(zip(args[::2], args[1::2]))["--doc"]
    for name, title in ((FANOUT_SVG, "Fan-out: delivered messages/s per scenario and server"),
                        (IDLE_SVG, "Server RSS per idle connection, KiB")):
        write(os.path.join(os.path.dirname(doc) or ".", name), placeholder_svg(title))
    splice(doc, "*Not yet run.* `bench/run.sh` replaces this part with the date, the versions, the targets, "
                f"the tables and the charts ([fan-out]({FANOUT_SVG}), [idle memory]({IDLE_SVG})) of its run.\n")


# ----------------------------------------------------------------------------- tick-test parsers

def to_ms(path, value):
    p = path.lower()
    if re.search(r"(micro|_us\b|us$)", p):
        return value / 1000
    if re.search(r"(nano|_ns\b|ns$)", p):
        return value / 1e6
    if re.search(r"(^|[^m])s$|seconds", p) and "ms" not in p and "millis" not in p:
        return value * 1000
    return value


def flatten(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield prefix, obj


def parse_load(path):
    """hermes-load --json: finds the tick delay p50/p99/max and the clients that missed ticks by key name."""
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    data = json.loads(text[text.find("{"):]) if "{" in text else {}
    flat = list(flatten(data))
    out = {}

    def find(*words):
        for k, v in flat:
            kl = k.lower()
            if all(w in kl for w in words):
                return k, v
        return None, None

    ticks = data.get("ticks") if isinstance(data.get("ticks"), dict) else {}
    hold, overall = ticks.get("holdDelayMs"), ticks.get("delayMs")
    if isinstance(hold, dict) and isinstance(overall, dict):
        # the target is about 10,000 clients connected at once: the hold; the setup's join storm apart
        for name, word in (("tick_p50_ms", "p50"), ("tick_p99_ms", "p99"), ("tick_max_ms", "max")):
            out[name] = f"{hold[word]:g}"
        out["tick_all_p99_ms"] = f"{overall['p99']:g}"
        out["tick_all_max_ms"] = f"{overall['max']:g}"
    for name, word in (("tick_p50_ms", "p50"), ("tick_p99_ms", "p99"), ("tick_max_ms", "max")):
        k, v = find("tick", word)
        if k is not None and name not in out:
            out[name] = f"{to_ms(k, v):g}"
    k, v = find("miss")
    if k is not None:
        out["missed"] = f"{v:g}"
        out["all_ticks"] = "yes" if v == 0 else "no"
    if "tick_p99_ms" not in out:
        raise SystemExit(f"no tick p99 in {path}: keys {[k for k, _ in flat]}")
    return " ".join(f"{k}={v}" for k, v in out.items())


def parse_soak(path, clients):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    t = re.search(r"tick delay \(ms\)\s+n=(\d+) p50=(-?\d+) p99=(-?\d+) max=(-?\d+)", text)
    c = re.search(r"(\d+) connected at the end", text)
    u = re.search(r"unexpected disconnects\s+(\d+)", text)
    if not (t and c and u):
        raise SystemExit(f"no SoakMain report in {path}")
    n, p50, p99, mx = (int(x) for x in t.groups())
    connected, unexpected = int(c.group(1)), int(u.group(1))
    # a tick the server skipped shows as an interval of two ticks: a delay of at least one interval (1000 ms)
    every = connected == clients and unexpected == 0 and mx < 1000 and n > 0
    return (f"tick_n={n} tick_p50_ms={p50} tick_p99_ms={p99} tick_max_ms={mx} connected_end={connected} "
            f"unexpected={unexpected} missed=n/a all_ticks={'yes' if every else 'no'}")


def main(argv):
    if len(argv) >= 2 and argv[1] == "render":
        render(argv[2:])
    elif len(argv) >= 2 and argv[1] == "placeholder":
        placeholder(argv[2:])
    elif len(argv) == 3 and argv[1] == "parse-load":
        print(parse_load(argv[2]))
    elif len(argv) == 4 and argv[1] == "parse-soak":
        print(parse_soak(argv[2], int(argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
