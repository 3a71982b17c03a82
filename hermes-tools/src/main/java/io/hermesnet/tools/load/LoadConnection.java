package io.hermesnet.tools.load;

import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * One connection of a run, subscriber or publisher: frames the server's lines ({@link LineFramer}, into
 * its event loop's scratch array) and looks only at the first bytes of each to sort it out (docs/protocol.md §2):
 * <ul>
 * <li>{@code WELCOME}: the connection is ready; {@code ERROR} before it (e.g. {@code ERROR FULL}) fails
 *     the setup;</li>
 * <li>{@code MSG}: a subscriber parses the marker of this run's lines (publisher, sequence number, send
 *     time) and records the latency and any gap or duplicate per publisher; publishers only read them;</li>
 * <li>{@code ID}: with {@code --ticks}, a subscriber records the tick's delay and value;</li>
 * <li>{@code CLIENTS}, {@code JOIN}, {@code LEAVE}: counted, so the setup can wait for the presence
 *     storm of the connects to drain;</li>
 * <li>{@code BYE} and {@code ERROR}: kept as the connection's last notable line, the only lines made into
 *     strings;</li>
 * <li>anything else: ignored.</li>
 * </ul>
 * A connection that closes before the run stops counts as closed by the server.
 *
 * <p>Not sharable; runs on the channel's event loop. Its fields are read by the main thread only after
 * the event loops have terminated.
 */
final class LoadConnection extends LineFramer {
    /** The longest server line we expect: a chat line of the largest payload, plus the MSG prefix. */
    private static final int MAX_LINE_BYTES = LoadOptions.MAX_PAYLOAD_BYTES + 4096;

    /** What a connection does. */
    enum Role { SUBSCRIBER, PUBLISHER }

    final Role role;
    /** Index among the connections of its role, from 0. */
    final int index;

    private final LoadGenerator run;
    private final MarkerLine.Fields fields = new MarkerLine.Fields();
    private final long[] nextSeq; // per publisher: the sequence number expected next
    private final int[] batchByPublisher; // per publisher: distinct lines received in this read
    private final long tickIntervalNanos;
    private LoopStats stats;
    private long readNanos;
    private int batchDelivered;
    private int batchPresence;
    private int batchTicks;

    boolean welcomed;
    long welcomeNanos;
    boolean closedByServer;
    /** The last BYE or ERROR line, or a description of the error that closed the connection. */
    String lastNotable;
    /** The server's id for this client, from its WELCOME; -1 before. */
    long clientId = -1;
    /** ID lines received up to the end of the hold. */
    int ticks;
    private long lastTickNanos;

    LoadConnection(LoadGenerator run, Role role, int index) {
        super(MAX_LINE_BYTES);
        this.run = run;
        this.role = role;
        this.index = index;
        this.nextSeq = role == Role.SUBSCRIBER ? new long[run.options().publishers()] : null;
        this.batchByPublisher = role == Role.SUBSCRIBER ? new int[run.options().publishers()] : null;
        this.tickIntervalNanos = run.options().tickInterval().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isRegistered()) {
            stats = run.statsFor(ctx.channel().eventLoop());
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        stats = run.statsFor(ctx.channel().eventLoop());
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        readNanos = System.nanoTime(); // one receive time per read: the lines of one read arrived together
        super.channelRead(ctx, msg);
    }

    @Override
    protected byte[] scratch(int length) {
        return stats.scratch(length);
    }

    @Override
    protected void onLine(byte[] buf, int from, int to) {
        if (to - from < 3) {
            return;
        }
        switch (buf[from]) {
            case 'M' -> {
                if (startsWith(buf, from, to, "MSG ") && role == Role.SUBSCRIBER) {
                    onChat(buf, from + 4, to);
                }
            }
            case 'I' -> {
                if (buf[from + 1] == 'D' && buf[from + 2] == ' ') {
                    onTick(buf, from + 3, to);
                }
            }
            case 'C', 'J' -> batchPresence++; // CLIENTS, JOIN
            case 'L' -> {
                batchPresence++;
                if (startsWith(buf, from, to, "LEAVE ") && !run.stopping()) {
                    onLeave(buf, from + 6, to);
                }
            }
            case 'W' -> {
                if (!welcomed && startsWith(buf, from, to, "WELCOME ")) {
                    welcomed = true;
                    clientId = digits(buf, from + 8, to);
                    welcomeNanos = readNanos;
                    lastTickNanos = readNanos; // the first tick comes one interval after WELCOME (docs/protocol.md §3.2)
                    run.onReady();
                }
            }
            case 'E' -> {
                if (startsWith(buf, from, to, "ERROR ")) {
                    lastNotable = new String(buf, from, to - from, StandardCharsets.UTF_8);
                    if (welcomed) {
                        stats.serverErrors++;
                        stats.lastServerError = lastNotable;
                    } else {
                        run.onSetupFailure(describe() + " got " + lastNotable + " instead of WELCOME");
                    }
                }
            }
            case 'B' -> {
                if (startsWith(buf, from, to, "BYE ")) {
                    lastNotable = new String(buf, from, to - from, StandardCharsets.UTF_8);
                }
            }
            default -> {
                // RANK, NAME, RENAME, ... : nothing to measure
            }
        }
    }

    /** {@code <id> <name> <text>}: the text starts after the second space. */
    private void onChat(byte[] buf, int from, int to) {
        int space = LineFramer.indexOf(buf, from, to, (byte) ' ');
        space = space < 0 ? -1 : LineFramer.indexOf(buf, space + 1, to, (byte) ' ');
        if (space < 0 || !run.marker().parse(buf, space + 1, to, fields) || fields.publisher >= nextSeq.length) {
            return; // someone else's chat
        }
        LoopStats s = stats;
        s.received++;
        s.recordLatency(readNanos - run.epochNanos() - fields.nanos);
        s.lastDeliveryNanos = Math.max(s.lastDeliveryNanos, readNanos);
        long expected = nextSeq[fields.publisher];
        if (fields.seq >= expected) {
            if (fields.seq > expected) {
                s.gaps++;
            }
            nextSeq[fields.publisher] = fields.seq + 1;
            batchDelivered++;
            batchByPublisher[fields.publisher]++;
        } else {
            s.duplicates++;
        }
    }

    private void onTick(byte[] buf, int from, int to) {
        if (!run.options().ticks() || role != Role.SUBSCRIBER || !welcomed || readNanos > run.holdEndNanos()) {
            return;
        }
        long id = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b < '0' || b > '9' || i - from > 10) {
                return;
            }
            id = id * 10 + (b - '0');
        }
        stats.addTickId((int) id); // unsigned 32-bit (docs/protocol.md §2): the bits are all we compare
        stats.recordTickDelay((readNanos - lastTickNanos - tickIntervalNanos) / 1000, readNanos - run.holdStartNanos() >= 0);
        lastTickNanos = readNanos;
        ticks++;
        batchTicks++;
    }

    /**
     * {@code <id> <name> <reason>}: someone left while the run was on; if it was one of ours, the
     * reason tells why the server closed it (a slow consumer's {@code sendq} gets no line of its own).
     * Rare, so strings are fine here.
     */
    private void onLeave(byte[] buf, int from, int to) {
        long id = digits(buf, from, to);
        int reason = to;
        while (reason > from && buf[reason - 1] != ' ') {
            reason--;
        }
        if (id >= 0 && reason > from) {
            run.leaveReasons().putIfAbsent(id, new String(buf, reason, to - reason, StandardCharsets.UTF_8));
        }
    }

    /** The decimal number at {@code from}, up to a space or the end; -1 if there is none. */
    private static long digits(byte[] buf, int from, int to) {
        long v = 0;
        int i = from;
        for (; i < to && buf[i] != ' '; i++) {
            if (buf[i] < '0' || buf[i] > '9' || i - from > 18) {
                return -1;
            }
            v = v * 10 + (buf[i] - '0');
        }
        return i == from ? -1 : v;
    }

    private static boolean startsWith(byte[] buf, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // progress counters are shared between loops: touch them once per read, not once per line
        if (batchDelivered > 0) {
            run.delivered().add(batchDelivered);
            batchDelivered = 0;
            for (int p = 0; p < batchByPublisher.length; p++) {
                if (batchByPublisher[p] > 0) {
                    run.publisher(p).onDelivered(batchByPublisher[p]);
                    batchByPublisher[p] = 0;
                }
            }
        }
        if (batchPresence > 0) {
            run.presenceLines().add(batchPresence);
            batchPresence = 0;
        }
        if (batchTicks > 0) {
            run.ticksReceived().add(batchTicks);
            batchTicks = 0;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!run.stopping()) {
            closedByServer = true;
            if (!welcomed) {
                run.onSetupFailure(describe() + " was closed before WELCOME"
                        + (lastNotable != null ? ", last line: " + lastNotable : ""));
            }
            run.wake();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!run.stopping()) {
            lastNotable = "(error: " + cause + ")";
        }
        ctx.close();
    }

    String describe() {
        return (role == Role.SUBSCRIBER ? "client " : "publisher ") + index;
    }
}
