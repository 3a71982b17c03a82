/*
 * fanout-split.c - the reference generator /work/shared/bench/fanout.c (copied unchanged) plus one
 * extension for clusters (bench/cluster-fanout.sh, docs/performance.md "Cluster"):
 *   --pub-port P       publishers connect to P instead of --port;
 *   --sub-ports P2,P3  subscribers connect to these ports, round robin (subscriber i to port i mod n).
 * Without the two flags it behaves exactly as fanout.c.  Everything below this paragraph is the
 * reference text except the lines marked "split:".
 *
 * fanout.c - single-threaded epoll fan-out (pub/sub broadcast) load generator.
 *
 * Opens S subscriber and P publisher TCP connections to HOST:PORT, performs a
 * protocol-specific handshake on each (line | nats | redis | irc), waits until
 * every subscriber is ready, then the publishers send M messages in total as
 * fast as the server accepts them (bounded unsent data per publisher,
 * non-blocking writes).  Every message payload carries a marker, the
 * publisher id, a sequence number and a CLOCK_MONOTONIC send timestamp (ns).
 * Subscribers split their input on '\n', count only lines containing the
 * marker, and record (receive time - send time) into a log-linear histogram.
 * The run ends when every subscriber has received all M messages, or at the
 * timeout (reported as such, with counts).
 *
 * Also: --idle N --hold SECS opens N connections with the handshake and holds
 * them (to measure a server's memory per connection; with --server-pid it
 * reads VmRSS itself before and after).
 *
 * Build: gcc -O2 -Wall -o fanout fanout.c      (no third-party libraries)
 * Usage: ./fanout --help
 * Exit status: 0 ok, 2 usage/system error, 3 setup (connect/handshake) failed,
 *              4 measurement timeout, 5 finished but messages were lost
 *              (e.g. the server closed slow subscribers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* configuration                                                            */

enum proto { P_LINE, P_NATS, P_REDIS, P_IRC };
static const char *proto_names[] = { "line", "nats", "redis", "irc" };

static struct {
    int proto;
    const char *host;
    int port;
    long subs;            /* S */
    long pubs;            /* P */
    long msgs;            /* M, total over all publishers */
    long size;            /* payload bytes (minimum; header may exceed it) */
    long settle_ms;       /* delay after all ready, before publishing */
    int settle_set;
    double timeout_s;     /* measurement phase timeout */
    double setup_timeout_s;
    long inflight;        /* max unsent bytes buffered per publisher */
    long conc;            /* max concurrent connects/handshakes */
    double rate;          /* total msgs/s (0 = as fast as possible) */
    const char *hello;    /* line: hello line template */
    const char *ready_match; /* line: line substring that marks a conn ready */
    const char *topic;    /* subject / channel (without '#') */
    const char *marker;
    const char *irc_oper; /* NAME:PASS - publishers OPER and set +F */
    int idle_join;        /* irc idle mode: also JOIN the channel */
    long idle;            /* idle mode: number of connections */
    double hold_s;        /* idle mode: hold time */
    int server_pid;
    int kv;               /* machine-readable single line output */
    const char *label;    /* free-form label echoed in the output */
    int pub_port;         /* split: publishers' port (0 = --port) */
    int sub_ports[16];    /* split: subscribers' ports, round robin (none = --port) */
    int n_sub_ports;      /* split */
} cfg = {
    .proto = P_LINE, .host = "127.0.0.1", .port = 0, .subs = 10, .pubs = 1,
    .msgs = 100000, .size = 64, .settle_ms = 0, .timeout_s = 120.0,
    .setup_timeout_s = 120.0, .inflight = 64 * 1024, .conc = 256,
    .rate = 0, .hello = NULL, .ready_match = NULL, .topic = "bench",
    .marker = "ZQfnB", .irc_oper = NULL, .idle_join = 0, .idle = 0,
    .hold_s = 5.0, .server_pid = 0, .kv = 0, .label = NULL,
};

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fanout: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static int warn_budget = 20; /* bound the number of diagnostic lines */
static void warnx(const char *fmt, ...)
{
    if (warn_budget <= 0)
        return;
    if (--warn_budget == 0) {
        fprintf(stderr, "fanout: (further warnings suppressed)\n");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fanout: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

/* writes decimal of v at p, returns length */
static inline int u64dec(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

/* parses decimal digits at *pp (up to end); returns value, advances *pp */
static inline uint64_t parse_u64(const char **pp, const char *end)
{
    const char *p = *pp;
    uint64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p - '0');
        p++;
    }
    *pp = p;
    return v;
}

/* ------------------------------------------------------------------------ */
/* latency histogram: log-linear, 64 sub-buckets per power of two (<1.6%)   */

#define HSUB_BITS 6
#define HSUB (1 << HSUB_BITS)
#define HBUCKETS (59 * HSUB)
static uint64_t hist[HBUCKETS];
static uint64_t hist_n, hist_max, hist_min = UINT64_MAX;
static double hist_sum;

static inline int hidx(uint64_t v)
{
    if (v < HSUB)
        return (int)v;
    int e = 63 - __builtin_clzll(v);
    int shift = e - HSUB_BITS;
    return ((e - HSUB_BITS + 1) << HSUB_BITS) + (int)((v >> shift) & (HSUB - 1));
}

static uint64_t hupper(int idx)
{
    if (idx < HSUB)
        return (uint64_t)idx;
    int k = idx >> HSUB_BITS, sub = idx & (HSUB - 1);
    int shift = k - 1;
    uint64_t lower = ((uint64_t)(HSUB + sub)) << shift;
    return lower + ((1ull << shift) - 1);
}

static inline void hrecord(uint64_t v)
{
    hist[hidx(v)]++;
    hist_n++;
    hist_sum += (double)v;
    if (v > hist_max)
        hist_max = v;
    if (v < hist_min)
        hist_min = v;
}

static uint64_t hpercentile(double q)
{
    if (hist_n == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)hist_n + 0.999999);
    if (rank < 1)
        rank = 1;
    uint64_t c = 0;
    for (int i = 0; i < HBUCKETS; i++) {
        c += hist[i];
        if (c >= rank) {
            uint64_t u = hupper(i);
            return u > hist_max ? hist_max : u;
        }
    }
    return hist_max;
}

/* ------------------------------------------------------------------------ */
/* connections                                                              */

enum role { R_SUB, R_PUB };
enum state { ST_CONNECTING, ST_HANDSHAKE, ST_READY, ST_CLOSED };

typedef struct conn {
    int fd;
    int idx;              /* global index (used in names / nicks) */
    uint8_t role, state;
    uint8_t stage;        /* protocol handshake sub-stage */
    uint8_t done;         /* sub: got all M; pub: all written */
    uint32_t events;      /* currently registered epoll events */
    char *carry;          /* partial line carried between reads */
    uint32_t carry_len, carry_cap;
    char *wbuf;           /* pending output */
    uint32_t wlen, woff, wcap;
    uint64_t recv;        /* sub: counted (new) marker lines */
    uint64_t dups;        /* sub: marker lines with seq <= last seen */
    uint64_t gaps;        /* sub: skipped sequence numbers */
    uint64_t *last_seq;   /* sub: last seq per publisher */
    int pub_id;           /* pub: publisher number */
    uint64_t quota, sent; /* pub: messages to send / generated */
    uint64_t acks;        /* pub (redis): :N replies */
    char lastline[96];    /* last non-marker line, for diagnostics */
} conn_t;

static conn_t *conns;
static long nconns;           /* total connections to open */
static long next_open;        /* next index to open */
static long in_setup;         /* connecting or handshaking right now */
static long n_ready, n_closed, n_closed_subs, n_failed_setup;
static long subs_done;
static int epfd;
static char run_tag[8];

enum phase { PH_SETUP, PH_SETTLE, PH_RUN, PH_END };
static int phase = PH_SETUP;
static uint64_t t_start_run, t_last_recv, t_pubs_done, t_end_setup;
static long pubs_done;
static uint64_t redis_min_receivers = UINT64_MAX;
static long n_errlines;
static char first_err[160];

static size_t marker_len;
static char *rdbuf;
static size_t rdbuf_cap = 256 * 1024;

static void set_events(conn_t *c, uint32_t ev)
{
    if (c->state == ST_CLOSED || c->events == ev)
        return;
    struct epoll_event e = { .events = ev, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e) < 0)
        die("epoll_ctl MOD: %s", strerror(errno));
    c->events = ev;
}

static void conn_close(conn_t *c, const char *why)
{
    if (c->state == ST_CLOSED)
        return;
    if (c->state != ST_READY) {
        in_setup--;
        n_failed_setup++;
    } else {
        n_ready--;
    }
    warnx("%s %d closed (%s)%s%s", c->role == R_SUB ? "sub" : "pub", c->idx, why,
          c->lastline[0] ? "; last line from server: " : "", c->lastline);
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    c->state = ST_CLOSED;
    n_closed++;
    if (c->role == R_SUB && !c->done)
        n_closed_subs++; /* closed before receiving all M messages */
}

static void wreserve(conn_t *c, size_t extra)
{
    size_t need = (size_t)c->wlen + extra;
    if (need <= c->wcap)
        return;
    if (c->woff > 0) { /* compact first */
        memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
        c->wlen -= c->woff;
        c->woff = 0;
        need = (size_t)c->wlen + extra;
        if (need <= c->wcap)
            return;
    }
    size_t cap = c->wcap ? c->wcap : 256;
    while (cap < need)
        cap *= 2;
    c->wbuf = realloc(c->wbuf, cap);
    if (!c->wbuf)
        die("out of memory");
    c->wcap = (uint32_t)cap;
}

static void wappend(conn_t *c, const char *s, size_t n)
{
    wreserve(c, n);
    memcpy(c->wbuf + c->wlen, s, n);
    c->wlen += (uint32_t)n;
}

static void wprintf(conn_t *c, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n >= (int)sizeof tmp)
        n = sizeof tmp - 1;
    wappend(c, tmp, (size_t)n);
}

/* returns 0 ok, -1 closed */
static int conn_flush(conn_t *c)
{
    while (c->woff < c->wlen) {
        ssize_t n = write(c->fd, c->wbuf + c->woff, c->wlen - c->woff);
        if (n > 0) {
            c->woff += (uint32_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        conn_close(c, n < 0 ? strerror(errno) : "write returned 0");
        return -1;
    }
    c->woff = c->wlen = 0;
    return 0;
}

/* IRC nick for connection i */
static int irc_nick(char *out, size_t cap, int idx)
{
    return snprintf(out, cap, "b%s%d", run_tag, idx);
}

/* expands %d (connection index) and %t (run tag) in the hello template */
static void send_hello(conn_t *c)
{
    char tmp[1024];
    size_t o = 0;
    for (const char *p = cfg.hello; *p && o < sizeof tmp - 32; p++) {
        if (p[0] == '%' && p[1] == 'd') {
            o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%d", c->idx);
            p++;
        } else if (p[0] == '%' && p[1] == 't') {
            o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%s", run_tag);
            p++;
        } else {
            tmp[o++] = *p;
        }
    }
    tmp[o++] = '\n';
    wappend(c, tmp, o);
}

static void mark_ready(conn_t *c)
{
    if (c->state == ST_READY)
        return;
    c->state = ST_READY;
    in_setup--;
    n_ready++;
}

/* connect() completed: send the protocol handshake */
static void start_handshake(conn_t *c)
{
    c->state = ST_HANDSHAKE;
    char nick[32];
    switch (cfg.proto) {
    case P_LINE:
        if (cfg.hello)
            send_hello(c);
        if (!cfg.ready_match)
            mark_ready(c);
        break;
    case P_NATS:
        wprintf(c, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
        if (c->role == R_SUB)
            wprintf(c, "SUB %s 1\r\n", cfg.topic);
        wprintf(c, "PING\r\n"); /* ready on PONG */
        break;
    case P_REDIS:
        if (c->role == R_SUB)
            wprintf(c, "SUBSCRIBE %s\r\n", cfg.topic); /* ready on ack */
        else
            wprintf(c, "PING\r\n"); /* ready on +PONG */
        break;
    case P_IRC:
        irc_nick(nick, sizeof nick, c->idx);
        wprintf(c, "NICK %s\r\nUSER %s 0 * :%s\r\n", nick, nick, nick);
        c->stage = 0; /* waiting for 001 */
        break;
    }
    uint32_t ev = EPOLLIN;
    if (conn_flush(c) < 0)
        return;
    if (c->wlen > c->woff)
        ev |= EPOLLOUT;
    set_events(c, ev);
}

static void open_conn(long i)
{
    conn_t *c = &conns[i];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket: %s (raise ulimit -n?)", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int port = cfg.port; /* split: per role */
    if (c->role == R_PUB && cfg.pub_port)
        port = cfg.pub_port;
    else if (c->role == R_SUB && cfg.n_sub_ports)
        port = cfg.sub_ports[c->idx % cfg.n_sub_ports];
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, cfg.host, &sa.sin_addr) != 1)
        die("bad host %s (IPv4 address expected)", cfg.host);
    c->fd = fd;
    c->state = ST_CONNECTING;
    in_setup++;
    struct epoll_event e = { .events = EPOLLOUT, .data.ptr = c };
    c->events = EPOLLOUT;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0)
        die("epoll_ctl ADD: %s", strerror(errno));
    int r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    if (r < 0 && errno != EINPROGRESS) {
        conn_close(c, strerror(errno));
        return;
    }
}

static void open_more(void)
{
    while (next_open < nconns && in_setup < cfg.conc)
        open_conn(next_open++);
}

/* ------------------------------------------------------------------------ */
/* line handling                                                            */

static void sub_done_check(conn_t *c, uint64_t t)
{
    if (!c->done && c->recv >= (uint64_t)cfg.msgs) {
        c->done = 1;
        subs_done++;
        t_last_recv = t;
    }
}

static void on_marker_line(conn_t *c, const char *m, const char *end, uint64_t t)
{
    if (c->role != R_SUB)
        return;
    /* m points just past the marker: |pub|seq|ts| */
    const char *p = m;
    if (p >= end || *p != '|')
        return;
    p++;
    uint64_t pub = parse_u64(&p, end);
    if (p >= end || *p != '|')
        return;
    p++;
    uint64_t seq = parse_u64(&p, end);
    if (p >= end || *p != '|')
        return;
    p++;
    uint64_t ts = parse_u64(&p, end);
    if (pub >= (uint64_t)cfg.pubs)
        return;
    uint64_t last = c->last_seq[pub];
    if (seq <= last) {
        c->dups++;
        return;
    }
    if (seq > last + 1)
        c->gaps += seq - last - 1;
    c->last_seq[pub] = seq;
    c->recv++;
    hrecord(t > ts ? t - ts : 0);
    sub_done_check(c, t);
}

static void note_line(conn_t *c, const char *line, size_t len)
{
    size_t n = len < sizeof c->lastline - 1 ? len : sizeof c->lastline - 1;
    memcpy(c->lastline, line, n);
    c->lastline[n] = 0;
}

static void note_error(conn_t *c, const char *line, size_t len)
{
    n_errlines++;
    if (!first_err[0]) {
        size_t n = len < sizeof first_err - 1 ? len : sizeof first_err - 1;
        memcpy(first_err, line, n);
        first_err[n] = 0;
    }
    (void)c;
}

static inline int line_is(const char *line, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len == n && memcmp(line, lit, n) == 0;
}

static inline int line_starts(const char *line, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(line, lit, n) == 0;
}

static void irc_join(conn_t *c)
{
    char nick[32];
    irc_nick(nick, sizeof nick, c->idx);
    if (c->role == R_PUB && cfg.irc_oper) {
        const char *colon = strchr(cfg.irc_oper, ':');
        if (colon)
            wprintf(c, "OPER %.*s %s\r\nMODE %s +F\r\n", (int)(colon - cfg.irc_oper),
                    cfg.irc_oper, colon + 1, nick);
    }
    wprintf(c, "JOIN #%s\r\n", cfg.topic);
    c->stage = 1; /* waiting for 366 end of NAMES */
}

/* one complete line (without '\n'; a trailing '\r' is stripped) */
static void on_line(conn_t *c, const char *line, size_t len, uint64_t t)
{
    if (len && line[len - 1] == '\r')
        len--;
    const char *m = memmem(line, len, cfg.marker, marker_len);
    if (m) {
        on_marker_line(c, m + marker_len, line + len, t);
        return;
    }
    if (len == 0)
        return;
    note_line(c, line, len);
    switch (cfg.proto) {
    case P_LINE:
        if (c->state == ST_HANDSHAKE && cfg.ready_match &&
            memmem(line, len, cfg.ready_match, strlen(cfg.ready_match)))
            mark_ready(c);
        break;
    case P_NATS:
        if (line_is(line, len, "PING"))
            wappend(c, "PONG\r\n", 6);
        else if (line_is(line, len, "PONG") && c->state == ST_HANDSHAKE)
            mark_ready(c);
        else if (line_starts(line, len, "-ERR"))
            note_error(c, line, len);
        break;
    case P_REDIS:
        if (c->state == ST_HANDSHAKE) {
            if (c->role == R_PUB && line_is(line, len, "+PONG"))
                mark_ready(c);
            else if (c->role == R_SUB && line_is(line, len, "subscribe"))
                c->stage = 1;
            else if (c->role == R_SUB && c->stage == 1 && line[0] == ':')
                mark_ready(c);
        } else if (c->role == R_PUB && line[0] == ':') {
            const char *p = line + 1;
            uint64_t nrecv = parse_u64(&p, line + len);
            c->acks++;
            if (nrecv < redis_min_receivers)
                redis_min_receivers = nrecv;
        }
        if (line[0] == '-')
            note_error(c, line, len);
        break;
    case P_IRC: {
        if (line_starts(line, len, "PING")) {
            wappend(c, "PONG", 4);
            wappend(c, line + 4, len - 4);
            wappend(c, "\r\n", 2);
            break;
        }
        if (line_starts(line, len, "ERROR")) {
            note_error(c, line, len);
            break;
        }
        /* ":prefix CMD ..." -> CMD */
        const char *p = line, *end = line + len;
        if (*p == ':') {
            while (p < end && *p != ' ')
                p++;
            while (p < end && *p == ' ')
                p++;
        }
        const char *cmd = p;
        while (p < end && *p != ' ')
            p++;
        size_t clen = (size_t)(p - cmd);
        if (clen == 3 && cmd[0] >= '0' && cmd[0] <= '9') {
            if (memcmp(cmd, "001", 3) == 0 && c->state == ST_HANDSHAKE && c->stage == 0) {
                if (cfg.idle && !cfg.idle_join)
                    mark_ready(c);
                else
                    irc_join(c);
            } else if (memcmp(cmd, "366", 3) == 0 && c->state == ST_HANDSHAKE &&
                       c->stage == 1) {
                mark_ready(c);
            } else if (cmd[0] == '4' || cmd[0] == '5') {
                note_error(c, line, len); /* e.g. 433 nick in use, 491 no O-lines */
            }
        }
        break;
    }
    }
}

static void handle_read(conn_t *c)
{
    /* put the carried partial line in front of the new data */
    size_t have = c->carry_len;
    if (have + 65536 > rdbuf_cap) {
        while (have + 65536 > rdbuf_cap)
            rdbuf_cap *= 2;
        rdbuf = realloc(rdbuf, rdbuf_cap);
        if (!rdbuf)
            die("out of memory");
    }
    if (have)
        memcpy(rdbuf, c->carry, have);
    ssize_t n;
    for (;;) {
        n = read(c->fd, rdbuf + have, rdbuf_cap - have);
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    if (n == 0) {
        conn_close(c, "EOF from server");
        return;
    }
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        conn_close(c, strerror(errno));
        return;
    }
    uint64_t t = now_ns(); /* one receive timestamp per read() batch */
    size_t total = have + (size_t)n;
    const char *p = rdbuf, *end = rdbuf + total;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        on_line(c, p, (size_t)(nl - p), t);
        if (c->state == ST_CLOSED)
            return;
        p = nl + 1;
    }
    size_t rest = (size_t)(end - p);
    if (rest > 1024 * 1024) { /* absurdly long line: drop it */
        warnx("conn %d: dropping %zu bytes without newline", c->idx, rest);
        rest = 0;
    }
    if (rest > c->carry_cap) {
        size_t cap = c->carry_cap ? c->carry_cap : 256;
        while (cap < rest)
            cap *= 2;
        c->carry = realloc(c->carry, cap);
        if (!c->carry)
            die("out of memory");
        c->carry_cap = (uint32_t)cap;
    }
    if (rest)
        memmove(c->carry, p, rest);
    c->carry_len = (uint32_t)rest;
    /* replies (PONG etc.) queued while handling lines */
    if (c->wlen > c->woff) {
        if (conn_flush(c) < 0)
            return;
    }
}

/* ------------------------------------------------------------------------ */
/* publishing                                                               */

static char msg_prefix[128], msg_suffix[8];
static size_t msg_prefix_len, msg_suffix_len;
static char pad[4096];

/* appends one framed message with sequence seq; returns bytes appended */
static void gen_message(conn_t *c, uint64_t seq)
{
    char hdr[128];
    size_t h = 0;
    memcpy(hdr, cfg.marker, marker_len);
    h += marker_len;
    hdr[h++] = '|';
    h += (size_t)u64dec(hdr + h, (uint64_t)c->pub_id);
    hdr[h++] = '|';
    h += (size_t)u64dec(hdr + h, seq);
    hdr[h++] = '|';
    h += (size_t)u64dec(hdr + h, now_ns());
    hdr[h++] = '|';
    size_t plen = (size_t)cfg.size > h ? (size_t)cfg.size : h;
    size_t padn = plen - h;
    char lenbuf[32];
    size_t lenlen = 0;
    if (cfg.proto == P_NATS) { /* "PUB subj <len>\r\n" */
        lenlen = (size_t)u64dec(lenbuf, plen);
        lenbuf[lenlen++] = '\r';
        lenbuf[lenlen++] = '\n';
    }
    wreserve(c, msg_prefix_len + lenlen + plen + msg_suffix_len);
    char *o = c->wbuf + c->wlen;
    memcpy(o, msg_prefix, msg_prefix_len);
    o += msg_prefix_len;
    memcpy(o, lenbuf, lenlen);
    o += lenlen;
    memcpy(o, hdr, h);
    o += h;
    while (padn) {
        size_t k = padn < sizeof pad ? padn : sizeof pad;
        memcpy(o, pad, k);
        o += k;
        padn -= k;
    }
    memcpy(o, msg_suffix, msg_suffix_len);
    o += msg_suffix_len;
    c->wlen = (uint32_t)(o - c->wbuf);
}

static void setup_framing(void)
{
    memset(pad, 'x', sizeof pad);
    switch (cfg.proto) {
    case P_LINE:
        msg_prefix_len = 0;
        strcpy(msg_suffix, "\n");
        break;
    case P_NATS:
        msg_prefix_len = (size_t)snprintf(msg_prefix, sizeof msg_prefix, "PUB %s ", cfg.topic);
        strcpy(msg_suffix, "\r\n");
        break;
    case P_REDIS:
        msg_prefix_len = (size_t)snprintf(msg_prefix, sizeof msg_prefix, "PUBLISH %s ", cfg.topic);
        strcpy(msg_suffix, "\r\n");
        break;
    case P_IRC:
        msg_prefix_len = (size_t)snprintf(msg_prefix, sizeof msg_prefix, "PRIVMSG #%s :", cfg.topic);
        strcpy(msg_suffix, "\r\n");
        break;
    }
    msg_suffix_len = strlen(msg_suffix);
}

/* how many messages publisher c may have generated by now (rate mode) */
static uint64_t rate_allowance(conn_t *c, uint64_t t)
{
    if (cfg.rate <= 0)
        return c->quota;
    double per_pub = cfg.rate / (double)cfg.pubs;
    double el = (double)(t - t_start_run) / 1e9;
    uint64_t due = (uint64_t)(per_pub * el) + 1;
    return due < c->quota ? due : c->quota;
}

static void pub_work(conn_t *c, uint64_t t)
{
    if (c->state != ST_READY || c->done)
        return;
    uint64_t allow = rate_allowance(c, t);
    /* refill when less than half of the in-flight budget is queued */
    if (c->wlen - c->woff < (uint32_t)(cfg.inflight / 2)) {
        while (c->sent < allow && (long)(c->wlen - c->woff) < cfg.inflight) {
            c->sent++;
            gen_message(c, c->sent);
        }
    }
    if (conn_flush(c) < 0)
        return;
    int pending = c->wlen > c->woff;
    if (c->sent >= c->quota && !pending) {
        c->done = 1;
        pubs_done++;
        if (pubs_done == cfg.pubs)
            t_pubs_done = now_ns();
        set_events(c, EPOLLIN);
        return;
    }
    /* keep EPOLLOUT armed while there is more to send (level-triggered);
     * in rate mode, only while bytes are pending (the timer does the rest) */
    if (pending || (cfg.rate <= 0 && c->sent < c->quota))
        set_events(c, EPOLLIN | EPOLLOUT);
    else
        set_events(c, EPOLLIN);
}

/* ------------------------------------------------------------------------ */
/* process stats                                                            */

static int read_proc_cpu(int pid, double *secs)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    p += 2; /* field 3 starts here */
    unsigned long ut = 0, st = 0;
    /* fields 3..13 skipped, 14 utime, 15 stime */
    int field = 3;
    char *save = NULL;
    for (char *tok = strtok_r(p, " ", &save); tok; tok = strtok_r(NULL, " ", &save), field++) {
        if (field == 14)
            ut = strtoul(tok, NULL, 10);
        else if (field == 15) {
            st = strtoul(tok, NULL, 10);
            break;
        }
    }
    *secs = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

static long read_vmrss_kib(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kib = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ------------------------------------------------------------------------ */
/* event loop                                                               */

static void on_event(conn_t *c, uint32_t ev)
{
    if (c->state == ST_CLOSED)
        return;
    if (c->state == ST_CONNECTING) {
        if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
            int err = 0;
            socklen_t sl = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl);
            if (err) {
                conn_close(c, strerror(err));
                return;
            }
            start_handshake(c);
        }
        return;
    }
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        handle_read(c);
        if (c->state == ST_CLOSED)
            return;
    }
    if (ev & EPOLLOUT) {
        if (c->role == R_PUB && phase == PH_RUN && !c->done)
            pub_work(c, now_ns());
        else {
            if (conn_flush(c) < 0)
                return;
            if (c->wlen == c->woff)
                set_events(c, EPOLLIN);
        }
    } else if (c->wlen > c->woff && !(c->events & EPOLLOUT)) {
        set_events(c, EPOLLIN | EPOLLOUT);
    }
}

static void usage(void)
{
    printf(
"usage: fanout-split --proto line|nats|redis|irc --port N [options]\n"
"  --pub-port P     publishers connect to P (default: --port)\n"
"  --sub-ports L    subscribers connect to the comma-separated ports L, round robin\n"
"                   (default: --port)\n"
"  --host A         IPv4 address (default 127.0.0.1)\n"
"  -s, --subs S     subscriber connections (default 10)\n"
"  -p, --pubs P     publisher connections (default 1)\n"
"  -m, --msgs M     messages in total over all publishers (default 100000)\n"
"  --size B         payload bytes (default 64; the marker header is ~45 B)\n"
"  --settle MS      wait after all connections are ready (default: 1000 for\n"
"                   line without --ready-match, else 200)\n"
"  --timeout SEC    measurement timeout (default 120)\n"
"  --setup-timeout SEC  connect+handshake timeout (default 120)\n"
"  --inflight B     max unsent bytes buffered per publisher (default 65536)\n"
"  --conc N         max concurrent connects/handshakes (default 256)\n"
"  --rate R         total publish rate msgs/s (default 0 = as fast as possible)\n"
"  --topic T        subject / channel / IRC channel name without '#' (default bench)\n"
"  --marker STR     marker identifying benchmark lines (default ZQfnB)\n"
"  --hello TEXT     line: line sent by every connection after connect;\n"
"                   %%d = connection index, %%t = run tag\n"
"  --ready-match S  line: a connection is ready when it receives a line containing S\n"
"  --irc-oper N:PW  irc: publishers send OPER N PW and MODE <nick> +F (ngIRCd\n"
"                   relaxed flood protection)\n"
"  --idle N         idle mode: open N connections with handshake and hold them\n"
"  --hold SEC       idle mode hold time (default 5)\n"
"  --idle-join      irc idle mode: also JOIN the channel (default: register only)\n"
"  --server-pid PID report server CPU use during the run / VmRSS in idle mode\n"
"  --label TEXT     label echoed in the output\n"
"  --kv             print one machine-readable key=value line\n");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (die("%s needs a value", a), (char *)0))
        if (!strcmp(a, "--proto")) {
            const char *v = NEXT();
            int k;
            for (k = 0; k < 4; k++)
                if (!strcmp(v, proto_names[k]))
                    break;
            if (k == 4)
                die("unknown protocol %s", v);
            cfg.proto = k;
        } else if (!strcmp(a, "--host")) cfg.host = NEXT();
        else if (!strcmp(a, "--port")) cfg.port = atoi(NEXT());
        else if (!strcmp(a, "--pub-port")) cfg.pub_port = atoi(NEXT()); /* split */
        else if (!strcmp(a, "--sub-ports")) { /* split: comma-separated list */
            char *v = NEXT(), *save = NULL;
            for (char *t = strtok_r(v, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (cfg.n_sub_ports == 16)
                    die("--sub-ports takes at most 16 ports");
                int sp = atoi(t);
                if (sp <= 0 || sp > 65535)
                    die("bad port in --sub-ports: %s", t);
                cfg.sub_ports[cfg.n_sub_ports++] = sp;
            }
        }
        else if (!strcmp(a, "-s") || !strcmp(a, "--subs")) cfg.subs = atol(NEXT());
        else if (!strcmp(a, "-p") || !strcmp(a, "--pubs")) cfg.pubs = atol(NEXT());
        else if (!strcmp(a, "-m") || !strcmp(a, "--msgs")) cfg.msgs = atol(NEXT());
        else if (!strcmp(a, "--size")) cfg.size = atol(NEXT());
        else if (!strcmp(a, "--settle")) { cfg.settle_ms = atol(NEXT()); cfg.settle_set = 1; }
        else if (!strcmp(a, "--timeout")) cfg.timeout_s = atof(NEXT());
        else if (!strcmp(a, "--setup-timeout")) cfg.setup_timeout_s = atof(NEXT());
        else if (!strcmp(a, "--inflight")) cfg.inflight = atol(NEXT());
        else if (!strcmp(a, "--conc")) cfg.conc = atol(NEXT());
        else if (!strcmp(a, "--rate")) cfg.rate = atof(NEXT());
        else if (!strcmp(a, "--topic")) cfg.topic = NEXT();
        else if (!strcmp(a, "--marker")) cfg.marker = NEXT();
        else if (!strcmp(a, "--hello")) cfg.hello = NEXT();
        else if (!strcmp(a, "--ready-match")) cfg.ready_match = NEXT();
        else if (!strcmp(a, "--irc-oper")) cfg.irc_oper = NEXT();
        else if (!strcmp(a, "--idle")) cfg.idle = atol(NEXT());
        else if (!strcmp(a, "--hold")) cfg.hold_s = atof(NEXT());
        else if (!strcmp(a, "--idle-join")) cfg.idle_join = 1;
        else if (!strcmp(a, "--server-pid")) cfg.server_pid = atoi(NEXT());
        else if (!strcmp(a, "--label")) cfg.label = NEXT();
        else if (!strcmp(a, "--kv")) cfg.kv = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(); return 0; }
        else die("unknown argument %s (see --help)", a);
#undef NEXT
    }
    if (cfg.port == 0 && cfg.pub_port) /* split: --port defaults to --pub-port */
        cfg.port = cfg.pub_port;
    if (cfg.port <= 0 || cfg.port > 65535)
        die("--port is required");
    if (cfg.pub_port < 0 || cfg.pub_port > 65535)
        die("bad --pub-port");
    if (cfg.idle < 0 || cfg.subs < 0 || cfg.pubs < 0 || cfg.msgs < 0)
        die("negative count");
    if (!cfg.idle && (cfg.subs < 1 || cfg.pubs < 1 || cfg.msgs < 1))
        die("need S>=1, P>=1, M>=1");
    if (cfg.inflight < 1024)
        cfg.inflight = 1024;
    if (cfg.conc < 1)
        cfg.conc = 1;
    if (cfg.size > 400 && cfg.proto == P_IRC)
        die("irc lines are limited to 512 bytes: use --size <= 400");
    marker_len = strlen(cfg.marker);
    if (marker_len == 0 || marker_len > 32 || strpbrk(cfg.marker, " |\r\n"))
        die("marker must be 1..32 chars without space, '|' or newline");
    if (!cfg.settle_set)
        cfg.settle_ms = (cfg.proto == P_LINE && !cfg.ready_match) ? 1000 : 200;
    if (cfg.idle && cfg.proto == P_LINE && !cfg.settle_set)
        cfg.settle_ms = 1000;

    signal(SIGPIPE, SIG_IGN);
    {   /* 3 base-36 chars, distinct per run (IRC nicks must be unique) */
        const char *d = "0123456789abcdefghijklmnopqrstuvwxyz";
        unsigned v = (unsigned)getpid() ^ (unsigned)(now_ns() / 1000);
        for (int k = 0; k < 3; k++) {
            run_tag[k] = d[v % 36];
            v /= 36;
        }
        run_tag[3] = 0;
    }
    setup_framing();

    int idle = cfg.idle > 0;
    long S = idle ? cfg.idle : cfg.subs;
    long P = idle ? 0 : cfg.pubs;
    nconns = S + P;
    conns = calloc((size_t)nconns, sizeof(conn_t));
    rdbuf = malloc(rdbuf_cap);
    if (!conns || !rdbuf)
        die("out of memory");
    uint64_t *seqs = calloc((size_t)(S * (P ? P : 1)), sizeof(uint64_t));
    if (!seqs)
        die("out of memory");
    for (long i = 0; i < nconns; i++) {
        conn_t *c = &conns[i];
        c->fd = -1;
        c->idx = (int)i;
        if (i < S) {
            c->role = R_SUB;
            c->last_seq = seqs + i * (P ? P : 1);
        } else {
            c->role = R_PUB;
            c->pub_id = (int)(i - S);
            c->quota = (uint64_t)(cfg.msgs / P + ((i - S) < cfg.msgs % P ? 1 : 0));
        }
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        die("epoll_create1: %s", strerror(errno));

    long rss_before = -1, rss_ready = -1, rss_after = -1;
    if (cfg.server_pid && idle)
        rss_before = read_vmrss_kib(cfg.server_pid);

    struct epoll_event evs[1024];
    uint64_t t_setup0 = now_ns();
    uint64_t setup_deadline = t_setup0 + (uint64_t)(cfg.setup_timeout_s * 1e9);
    uint64_t settle_until = 0, run_deadline = 0, hold_until = 0;
    double srv_cpu0 = 0, srv_cpu1 = 0, gen_cpu0 = 0, gen_cpu1 = 0;
    int timed_out = 0, setup_failed = 0;
    int srv_cpu_ok = 0;
    uint64_t t_end = 0;

    while (phase != PH_END) {
        int to_ms = 100;
        uint64_t t = now_ns();
        if (phase == PH_SETUP) {
            open_more();
            if (n_ready + n_closed >= nconns && next_open >= nconns) {
                t_end_setup = t;
                if (n_ready < nconns) {
                    setup_failed = 1;
                    break;
                }
                phase = PH_SETTLE;
                settle_until = t + (uint64_t)cfg.settle_ms * 1000000ull;
                continue;
            }
            if (t > setup_deadline) {
                setup_failed = 1;
                t_end_setup = t;
                break;
            }
            to_ms = 10;
        } else if (phase == PH_SETTLE) {
            if (t >= settle_until) {
                if (idle) {
                    if (cfg.server_pid)
                        rss_ready = read_vmrss_kib(cfg.server_pid);
                    printf("IDLE_READY conns=%ld setup_s=%.3f\n", n_ready,
                           (double)(t_end_setup - t_setup0) / 1e9);
                    fflush(stdout);
                    hold_until = t + (uint64_t)(cfg.hold_s * 1e9);
                    phase = PH_RUN;
                    continue;
                }
                phase = PH_RUN;
                if (cfg.server_pid && read_proc_cpu(cfg.server_pid, &srv_cpu0) == 0)
                    srv_cpu_ok = 1;
                gen_cpu0 = self_cpu();
                t_start_run = now_ns();
                run_deadline = t_start_run + (uint64_t)(cfg.timeout_s * 1e9);
                for (long i = S; i < nconns; i++)
                    pub_work(&conns[i], t_start_run);
                continue;
            }
            uint64_t left = (settle_until - t) / 1000000ull;
            to_ms = left < 100 ? (int)left + 1 : 100;
        } else if (phase == PH_RUN) {
            if (idle) {
                if (t >= hold_until || n_closed > 0) {
                    if (n_closed > 0)
                        setup_failed = 1;
                    phase = PH_END;
                    break;
                }
                to_ms = 100;
            } else {
                if (subs_done + n_closed_subs >= S) {
                    t_end = t_last_recv ? t_last_recv : t;
                    phase = PH_END;
                    break;
                }
                if (t >= run_deadline) {
                    timed_out = 1;
                    t_end = t;
                    phase = PH_END;
                    break;
                }
                if (cfg.rate > 0) {
                    for (long i = S; i < nconns; i++)
                        pub_work(&conns[i], t);
                    to_ms = 1;
                }
            }
        }
        int n = epoll_wait(epfd, evs, 1024, to_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait: %s", strerror(errno));
        }
        for (int k = 0; k < n; k++)
            on_event((conn_t *)evs[k].data.ptr, evs[k].events);
    }

    /* ---------------------------------------------------------------- */
    if (setup_failed) {
        const char *what = idle ? "idle" : "setup";
        fprintf(stderr, "fanout: %s failed: ready=%ld of %ld, closed=%ld, after %.1fs%s%s\n",
                what, n_ready, nconns, n_closed, (double)(now_ns() - t_setup0) / 1e9,
                first_err[0] ? "; first error line: " : "", first_err);
        if (cfg.kv)
            printf("proto=%s label=%s error=%s_failed ready=%ld conns=%ld closed=%ld\n",
                   proto_names[cfg.proto], cfg.label ? cfg.label : "-", what, n_ready, nconns,
                   n_closed);
        return 3;
    }

    if (idle) {
        if (cfg.server_pid)
            rss_after = read_vmrss_kib(cfg.server_pid);
        double setup_s = (double)(t_end_setup - t_setup0) / 1e9;
        double per = (rss_after >= 0 && rss_before >= 0 && S > 0)
                         ? (double)(rss_after - rss_before) / (double)S : -1;
        if (cfg.kv) {
            printf("proto=%s label=%s mode=idle conns=%ld setup_s=%.3f hold_s=%.1f "
                   "rss_before_kib=%ld rss_ready_kib=%ld rss_after_kib=%ld kib_per_conn=%.2f\n",
                   proto_names[cfg.proto], cfg.label ? cfg.label : "-", S, setup_s, cfg.hold_s,
                   rss_before, rss_ready, rss_after, per);
        } else {
            printf("idle: proto=%s conns=%ld setup %.3fs hold %.1fs\n", proto_names[cfg.proto],
                   S, setup_s, cfg.hold_s);
            if (cfg.server_pid)
                printf("server VmRSS: before %ld KiB, ready %ld KiB, after hold %ld KiB "
                       "=> %.2f KiB per connection\n", rss_before, rss_ready, rss_after, per);
        }
        for (long i = 0; i < nconns; i++)
            if (conns[i].state != ST_CLOSED) {
                struct linger lg = { 1, 0 }; /* RST: no TIME_WAIT pile-up */
                setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
                close(conns[i].fd);
            }
        return 0;
    }

    gen_cpu1 = self_cpu();
    if (srv_cpu_ok && read_proc_cpu(cfg.server_pid, &srv_cpu1) != 0)
        srv_cpu_ok = 0;
    double elapsed = (double)(t_end - t_start_run) / 1e9;
    if (elapsed <= 0)
        elapsed = 1e-9;
    uint64_t recv_total = 0, dups = 0, gaps = 0;
    for (long i = 0; i < S; i++) {
        recv_total += conns[i].recv;
        dups += conns[i].dups;
        gaps += conns[i].gaps;
    }
    uint64_t expected = (uint64_t)cfg.msgs * (uint64_t)S;
    uint64_t lost = expected > recv_total ? expected - recv_total : 0;
    uint64_t sent = 0;
    for (long i = S; i < nconns; i++)
        sent += conns[i].sent;
    double deliv_rate = (double)recv_total / elapsed;
    /* M/elapsed; on a timeout only the messages actually generated count */
    double pub_rate = (double)(sent < (uint64_t)cfg.msgs ? sent : (uint64_t)cfg.msgs) / elapsed;
    double pubs_done_s = t_pubs_done ? (double)(t_pubs_done - t_start_run) / 1e9 : -1;
    double gen_cpu = (gen_cpu1 - gen_cpu0) / elapsed;
    double srv_cpu = srv_cpu_ok ? (srv_cpu1 - srv_cpu0) / elapsed : -1;
    double p50 = hpercentile(0.50) / 1e3, p99 = hpercentile(0.99) / 1e3,
           p999 = hpercentile(0.999) / 1e3, pmax = hist_max / 1e3,
           mean = hist_n ? hist_sum / hist_n / 1e3 : 0;
    const char *status = timed_out ? "timeout" : (n_closed_subs ? "closed" : "ok");

    if (cfg.kv) {
        printf("proto=%s label=%s status=%s S=%ld P=%ld M=%ld size=%ld elapsed_s=%.4f "
               "delivered_per_s=%.0f publish_per_s=%.0f p50_us=%.1f p99_us=%.1f "
               "p999_us=%.1f max_us=%.1f mean_us=%.1f received=%" PRIu64 " expected=%" PRIu64
               " lost=%" PRIu64 " closed_subs=%ld dups=%" PRIu64 " gaps=%" PRIu64
               " sent=%" PRIu64 " pubs_done_s=%.4f gen_cpu=%.2f server_cpu=%.2f err_lines=%ld",
               proto_names[cfg.proto], cfg.label ? cfg.label : "-", status, S, P, cfg.msgs,
               cfg.size, elapsed, deliv_rate, pub_rate, p50, p99, p999, pmax, mean, recv_total,
               expected, lost, n_closed_subs, dups, gaps, sent, pubs_done_s, gen_cpu, srv_cpu,
               n_errlines);
        if (cfg.proto == P_REDIS)
            printf(" redis_min_receivers=%" PRIu64,
                   redis_min_receivers == UINT64_MAX ? 0 : redis_min_receivers);
        printf("\n");
    } else {
        printf("protocol        %s%s%s\n", proto_names[cfg.proto], cfg.label ? "  label " : "",
               cfg.label ? cfg.label : "");
        printf("status          %s%s\n", status,
               timed_out ? " (measurement timeout reached)" : "");
        printf("subscribers S   %ld\n", S);
        printf("publishers P    %ld\n", P);
        printf("messages M      %ld\n", cfg.msgs);
        printf("payload bytes   %ld\n", cfg.size);
        printf("elapsed         %.4f s (publishers finished writing at %.4f s)\n", elapsed,
               pubs_done_s);
        printf("delivered       %.0f msg/s  (%" PRIu64 " of %" PRIu64 " deliveries)\n",
               deliv_rate, recv_total, expected);
        printf("publish rate    %.0f msg/s\n", pub_rate);
        printf("latency us      p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  mean %.1f\n", p50,
               p99, p999, pmax, mean);
        printf("lost            %" PRIu64 "  (closed subscribers %ld, dups %" PRIu64
               ", seq gaps %" PRIu64 ")\n", lost, n_closed_subs, dups, gaps);
        if (srv_cpu_ok)
            printf("cpu (cores)     generator %.2f  server %.2f\n", gen_cpu, srv_cpu);
        else
            printf("cpu (cores)     generator %.2f  server n/a (use --server-pid)\n", gen_cpu);
        if (cfg.proto == P_REDIS)
            printf("redis           min receivers per PUBLISH reply %" PRIu64 "\n",
                   redis_min_receivers == UINT64_MAX ? 0 : redis_min_receivers);
        if (n_errlines)
            printf("server errors   %ld lines, first: %s\n", n_errlines, first_err);
    }
    fflush(stdout);
    for (long i = 0; i < nconns; i++)
        if (conns[i].state != ST_CLOSED) {
            struct linger lg = { 1, 0 }; /* RST: no TIME_WAIT pile-up */
            setsockopt(conns[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            close(conns[i].fd);
        }
    return timed_out ? 4 : ((n_closed_subs || lost) ? 5 : 0);
}
