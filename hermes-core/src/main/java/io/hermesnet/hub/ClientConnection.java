package io.hermesnet.hub;

import io.hermesnet.telemetry.HermesMetrics;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one way out to one client: every line a server sends a client — fan-out, ticks, presence, replies,
 * errors, the last {@code BYE} — goes through its connection's {@link #send}, {@link #sendShared} or
 * {@link #closeWith}. It keeps the lines in the order of the calls whichever thread makes them, batches
 * them into the pipeline's {@link WriteCoalescingHandler}, schedules the flushes (presence lines may
 * wait for company, docs/protocol.md §3.3), and guarantees that the line given to {@link #closeWith} is
 * the last the client gets. Below it sit only the framing and transport stages of the pipeline
 * (coalescer, TX log, backpressure, TLS or WebSocket framing), which see whole batches; telnet option
 * answers and the TLS handshake are the transport's own bytes. Created by the
 * {@code AdmissionHandler} when the channel becomes active and kept in {@link HermesAttributes#CONNECTION}.
 *
 * <p>Threading: {@link #send}, {@link #sendShared} and {@link #closeWith} may be called from any thread
 * and never block; lines sent from another event loop are queued and written by a task on the channel's
 * own loop. On the channel's own loop with nothing queued, a line is copied straight into the batch: no
 * queue, no pipeline walk. Either way the caller does memory work only — the socket is written by the
 * flush task after the current batch of I/O (or at once when a batch reaches the coalescer's maximum) —
 * so the hub may call it while it holds its lock.
 */
public final class ClientConnection {
    /** Presence lines wait for the delay only while the batch holds fewer bytes than this. */
    static final int PRESENCE_FLUSH_BYTES = 1024;

    private final Channel channel;
    private final String address;
    private final HermesMetrics metrics;
    private final long presenceDelayNanos;
    // the channel's write coalescer when lines may skip the pipeline walk to it, else null
    private final WriteCoalescingHandler coalescer;

    // lines from other threads on their way to the channel, in call order; drained on the event loop
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable drainTask = this::drainTask;
    private final Runnable flushTask = this::flushTask;
    private final Runnable presenceFlushTask = this::presenceFlushTask;
    private boolean flushScheduled; // event loop only
    private boolean presenceFlushScheduled; // event loop only

    private ClientConnection(Channel channel, HermesMetrics metrics, long presenceDelayNanos) {
        this.channel = channel;
        this.address = formatAddress(channel.remoteAddress());
        this.metrics = metrics;
        this.presenceDelayNanos = presenceDelayNanos;
        this.coalescer = directAppendTarget(channel.pipeline());
        // lines queued when the channel closed are released with it, whichever thread queued them last
        channel.closeFuture().addListener(f -> discardOutbox());
    }

    /**
     * The connection of {@code channel}, created on first use; call once its pipeline is complete (from
     * {@code channelActive} on), since it looks the coalescer up once.
     *
     * @param presenceDelayNanos how long a presence line's flush may wait ({@link HermesConfig#presenceDelay})
     * @param metrics            where lines encoded here are counted as delivered
     */
    public static ClientConnection attach(Channel channel, HermesMetrics metrics, long presenceDelayNanos) {
        ClientConnection c = channel.attr(HermesAttributes.CONNECTION).get();
        if (c == null) {
            c = new ClientConnection(channel, metrics, presenceDelayNanos);
            ClientConnection raced = channel.attr(HermesAttributes.CONNECTION).setIfAbsent(c);
            if (raced != null) {
                c = raced;
            }
        }
        return c;
    }

    /** The connection of {@code channel}, or null before the channel was active. */
    public static ClientConnection of(Channel channel) {
        return channel.attr(HermesAttributes.CONNECTION).get();
    }

    /**
     * The pipeline's write coalescer if lines may be appended to it directly: only when no outbound
     * handler between it and the tail would see a written line (the event encoder passes buffers
     * through; an embedder's own handler there would be skipped), else null.
     */
    private static WriteCoalescingHandler directAppendTarget(ChannelPipeline pipeline) {
        WriteCoalescingHandler coalescer = null;
        for (Map.Entry<String, ChannelHandler> stage : pipeline) { // head to tail
            ChannelHandler h = stage.getValue();
            if (h instanceof WriteCoalescingHandler c) {
                coalescer = c;
            } else if (coalescer != null && h instanceof ChannelOutboundHandler && !(h instanceof ServerEventEncoder)) {
                return null;
            }
        }
        return coalescer;
    }

    /** {@code ip:port} of an {@link InetSocketAddress}, else the address's own string. */
    public static String formatAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ':' + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The channel this connection writes to. */
    public Channel channel() {
        return channel;
    }

    /** The remote {@code ip:port}. */
    public String address() {
        return address;
    }

    /**
     * Whether lines are copied straight into the pipeline's write coalescer (the fast path): true with
     * HermesNet's own pipeline at every log level and limit; false when an embedder left the coalescer
     * out or put an outbound handler after it.
     */
    public boolean appendsDirectly() {
        return coalescer != null;
    }

    /** Whether {@link #closeWith} has been called: nothing more is sent. */
    public boolean isClosing() {
        return closing.get();
    }

    /**
     * Sends {@code event}, flushed after the current batch of I/O. Any thread; lines keep the order of
     * the calls. Dropped once {@link #closeWith} has been called. Failures surface in the channel's
     * {@code exceptionCaught}.
     */
    public void send(ServerEvent event) {
        deliver(event, true);
    }

    /**
     * {@link #send} for a presence line ({@code JOIN}, {@code LEAVE}, {@code CLIENTS}, {@code RANK}):
     * its flush may wait up to the config's {@code presenceDelay} for other lines to share it (any
     * flush takes the whole batch, so a chat line never waits behind one).
     */
    public void sendPresence(ServerEvent event) {
        deliver(event, false);
    }

    /**
     * Sends one line of an embedder's own (docs/protocol.md leaves room for commands of your own, such as
     * {@code TIME 12:00:00}): encoded as UTF-8 with CRLF, then as {@link #send}. Any thread.
     *
     * @param line one line, without CR or LF
     * @throws IllegalArgumentException if {@code line} holds CR or LF
     */
    public void sendLine(CharSequence line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new IllegalArgumentException("a line holds no CR or LF");
            }
        }
        if (closing.get()) {
            return;
        }
        ByteBuf encoded = LineEncoding.encode(channel.alloc(), line);
        EventLoop loop = channel.eventLoop();
        if (coalescer != null && loop.inEventLoop() && outbox.isEmpty()) {
            try {
                coalescer.append(encoded);
            } finally {
                encoded.release();
            }
            metrics.linesDelivered(1);
            scheduleFlush(loop, true);
        } else {
            enqueue(encoded, loop);
        }
    }

    /**
     * Sends an encoded CRLF-terminated line shared by many recipients, without taking it over: on the
     * channel's own loop with nothing queued it is copied into the batch; elsewhere a retained duplicate
     * is queued.
     *
     * @param urgent false for a presence line (see {@link #sendPresence})
     */
    public void sendShared(ByteBuf line, boolean urgent) {
        if (closing.get()) {
            return;
        }
        EventLoop loop = channel.eventLoop();
        if (coalescer != null && loop.inEventLoop() && outbox.isEmpty()) {
            coalescer.append(line);
            scheduleFlush(loop, urgent);
        } else {
            enqueue(line.retainedDuplicate(), loop);
        }
    }

    private void deliver(ServerEvent event, boolean urgent) {
        if (closing.get()) {
            return;
        }
        EventLoop loop = channel.eventLoop();
        if (coalescer != null && loop.inEventLoop() && outbox.isEmpty()) {
            appendEvent(event);
            scheduleFlush(loop, urgent);
        } else {
            enqueue(event, loop);
        }
    }

    private void appendEvent(ServerEvent event) {
        coalescer.append(event);
        metrics.linesDelivered(1);
        if (event instanceof ServerEvent.Error error) {
            metrics.error(error.code());
        }
    }

    private void enqueue(Object msg, EventLoop loop) {
        outbox.add(msg);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) { // the event loop is shutting down, the channel with it
                drainScheduled.set(false);
                discardOutbox();
            }
        }
    }

    /**
     * Sends {@code last} as the client's last line and closes the connection once it is on the wire;
     * with {@code null}, flushes what was sent and closes (a half-closed client, docs/protocol.md §2.3).
     * Reading stops at once, so nothing the client sends from now on is answered or costs anything.
     * Lines sent before this call go first; lines sent after it are dropped. Idempotent: only the first
     * call's line is sent. Any thread.
     *
     * @return the channel's close future
     */
    public ChannelFuture closeWith(ServerEvent last) {
        if (closing.compareAndSet(false, true)) {
            EventLoop loop = channel.eventLoop();
            Runnable close = () -> {
                channel.config().setAutoRead(false);
                drain();
                Object msg = last != null ? last : Unpooled.EMPTY_BUFFER;
                if (last != null) {
                    metrics.linesDelivered(1);
                }
                // a real promise: the coalescer passes the batch on first, and the close waits for the flush
                channel.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
            };
            if (loop.inEventLoop()) {
                close.run();
            } else {
                try {
                    loop.execute(close);
                } catch (RejectedExecutionException e) {
                    channel.close();
                }
            }
        }
        return channel.closeFuture();
    }

    private void drainTask() {
        drainScheduled.set(false); // before polling: a line queued from now on schedules another drain
        if (!closing.get() && drain()) {
            channel.flush();
        }
    }

    /** Writes the queued lines, unflushed; returns whether it wrote any. Event loop only. */
    private boolean drain() {
        boolean wrote = false;
        for (Object msg; (msg = outbox.poll()) != null; ) {
            if (coalescer != null) {
                if (msg instanceof ByteBuf line) {
                    try {
                        coalescer.append(line);
                    } finally {
                        line.release();
                    }
                } else {
                    appendEvent((ServerEvent) msg);
                }
            } else {
                channel.write(msg, channel.voidPromise());
            }
            wrote = true;
        }
        return wrote;
    }

    /**
     * Flushes after the current batch of I/O, or, for a presence line, up to {@code presenceDelay}
     * later: joins arrive one per event-loop turn, so without the wait each of n joins would cost every
     * client its own write(2). A batch of {@value #PRESENCE_FLUSH_BYTES} bytes or more goes at once: in
     * a storm of thousands of joins that bounds both the batches' memory and, with the delay, the writes.
     */
    private void scheduleFlush(EventLoop loop, boolean urgent) {
        try {
            if (urgent || presenceDelayNanos == 0 || coalescer.pendingBytes() >= PRESENCE_FLUSH_BYTES) {
                if (!flushScheduled) {
                    flushScheduled = true;
                    loop.execute(flushTask);
                }
            } else if (!flushScheduled && !presenceFlushScheduled) {
                presenceFlushScheduled = true;
                loop.schedule(presenceFlushTask, presenceDelayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down and closes the channel, unflushed lines with it
        }
    }

    private void flushTask() {
        flushScheduled = false;
        channel.flush();
    }

    private void presenceFlushTask() {
        presenceFlushScheduled = false;
        channel.flush(); // cheap when an urgent flush took the batch already
    }

    private void discardOutbox() {
        for (Object msg; (msg = outbox.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public String toString() {
        return "connection " + address;
    }
}
