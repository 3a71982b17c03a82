package io.hermesnet.tools.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes one connection's share of the chat lines ({@link MarkerLine}), flat out or paced:
 * <ul>
 * <li>Flat out: writes while the channel {@link io.netty.channel.Channel#isWritable() is writable}, then
 *     flushes and waits for {@link #channelWritabilityChanged}; so at most about one high water mark of
 *     lines (64 KiB by default) is ever queued here. And, with a window of {@code W} lines, while fewer
 *     than {@code W} × subscribers of its lines are on their way (sent, not yet received by each
 *     subscriber): the server does not push back on a publisher when its fan-out falls behind, so
 *     without a window a fast publisher fills the server's per-client queues until it cuts the
 *     subscribers as slow consumers (docs/protocol.md §3.11). The subscribers count deliveries in {@link
 *     #onDelivered} and wake a publisher parked on a full window once half of it has drained.</li>
 * <li>Paced: a task on the channel's event loop, every {@code 1/rate} (1 to 100 ms), writes the lines
 *     due by then; lines that find the channel unwritable stay due and go out, late, once it drains.</li>
 * </ul>
 * Lines are formatted into batches of up to {@value #BATCH_BYTES} bytes, one buffer per batch, each line
 * stamped with the {@link System#nanoTime()} of its formatting (less the run's epoch: fewer digits).
 *
 * <p>Not sharable; runs on the channel's event loop, except {@link #start}, which any thread may call.
 */
final class Publisher extends ChannelInboundHandlerAdapter {
    private static final int BATCH_BYTES = 16 * 1024;
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoadGenerator run;
    private final int index;
    private final long quota;
    private final double linesPerNano;
    private final int linesPerBatch;
    private final byte[] batch;
    private final long windowLines;
    private final long resumeOutstanding;
    private final int subscribers;
    /** Distinct lines of this publisher received, summed over the subscribers. */
    private final AtomicLong delivered = new AtomicLong();
    /** Whether {@link #pump} waits for {@link #onDelivered} to open the window. */
    private final AtomicBoolean parked = new AtomicBoolean();
    /** {@link #sent}, for the subscribers' threads. */
    private volatile long sentVisible;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> pacer;
    private boolean running;
    private boolean finished;
    private long startNanos;
    private long endNanos;
    /** Lines written so far; also the next sequence number. */
    long sent;

    /**
     * @param index    the publisher's number in its lines
     * @param quota    lines to publish; {@link Long#MAX_VALUE} when publishing for a duration
     * @param rate     lines per second of this publisher; 0 = flat out
     * @param window   flat out, the lines in flight per subscriber (on average); 0 = no window
     */
    Publisher(LoadGenerator run, int index, long quota, double rate, int window) {
        this.run = run;
        this.index = index;
        this.quota = quota;
        this.linesPerNano = rate / 1e9;
        this.linesPerBatch = Math.max(1, BATCH_BYTES / run.marker().maxLineBytes());
        this.batch = new byte[linesPerBatch * run.marker().maxLineBytes()];
        this.subscribers = run.options().clients();
        this.windowLines = rate == 0 ? window : 0;
        this.resumeOutstanding = windowLines * subscribers / 2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Starts publishing, at {@code startNanos}, until the quota is sent or {@code endNanos} passes; then
     * reports to {@link LoadGenerator#onPublisherDone}. Thread-safe.
     */
    void start(long startNanos, long endNanos) {
        ctx.executor().execute(() -> {
            this.startNanos = startNanos;
            this.endNanos = endNanos;
            if (!ctx.channel().isActive()) {
                finish();
                return;
            }
            running = true;
            if (linesPerNano == 0) {
                pump();
            } else {
                long period = Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, (long) (1 / linesPerNano)));
                pacer = ctx.executor().scheduleAtFixedRate(this::pace, 0, period, TimeUnit.NANOSECONDS);
            }
        });
    }

    /**
     * Flat out: fill the outbound buffer up to the high water mark and the window, then wait for
     * {@link #channelWritabilityChanged} or {@link #onDelivered}.
     */
    private void pump() {
        boolean more = true;
        while (running && more && ctx.channel().isWritable()) {
            long room = room();
            if (room <= 0) {
                // park, then look again: a delivery counted before the park would not wake us
                parked.set(true);
                if (room() <= 0 || !parked.compareAndSet(true, false)) {
                    break;
                }
                continue;
            }
            more = writeBatch(room);
        }
        ctx.flush();
        if (!more) {
            finish();
        }
    }

    /** Lines the window lets us send now; {@link Long#MAX_VALUE} without a window. */
    private long room() {
        if (windowLines == 0) {
            return Long.MAX_VALUE;
        }
        long outstanding = sent * subscribers - delivered.get();
        return (windowLines * subscribers - outstanding) / subscribers;
    }

    /**
     * Counts {@code lines} more of this publisher's lines as received by a subscriber; wakes the
     * publisher when it is parked on a full window that has half drained. Any thread.
     */
    void onDelivered(int lines) {
        long total = delivered.addAndGet(lines);
        if (parked.get() && sentVisible * subscribers - total <= resumeOutstanding && parked.compareAndSet(true, false)) {
            ctx.executor().execute(this::pump);
        }
    }

    /** Paced: write what is due by now; what does not fit stays due. */
    private void pace() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        if (now - endNanos >= 0) {
            finish(); // at a slow rate no line may be due at the end
            return;
        }
        long due = Math.min(quota, (long) ((now - startNanos) * linesPerNano) + 1);
        boolean more = true;
        while (more && sent < due && ctx.channel().isWritable()) {
            more = writeBatch(due - sent);
        }
        ctx.flush();
        if (!more || sent >= quota) {
            finish();
        }
    }

    /**
     * Writes up to {@code max} lines (and at most one batch) as one buffer.
     *
     * @return false when the quota is sent or the end time has passed
     */
    private boolean writeBatch(long max) {
        int n = (int) Math.min(linesPerBatch, Math.min(max, quota - sent));
        if (n <= 0) {
            return sent < quota;
        }
        MarkerLine marker = run.marker();
        long epoch = run.epochNanos();
        int at = 0;
        int written = 0;
        boolean more = true;
        for (; written < n; written++) {
            long now = System.nanoTime();
            if (now - endNanos >= 0) {
                more = false;
                break;
            }
            at = marker.write(batch, at, index, sent++, now - epoch);
        }
        sentVisible = sent;
        if (written > 0) {
            // one bulk copy: a buffer per line, or a write call per field, would cost far more
            ctx.write(ctx.alloc().ioBuffer(at).writeBytes(batch, 0, at), ctx.voidPromise());
            run.sentLines().add(written);
        }
        return more && sent < quota;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (running && linesPerNano == 0 && ctx.channel().isWritable()) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (running) {
            finish(); // closed by the server: what was sent is what counts
        }
        ctx.fireChannelInactive();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        running = false;
        if (pacer != null) {
            pacer.cancel(false);
        }
        run.onPublisherDone(System.nanoTime());
    }
}
