package io.hermesnet.hub;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMetrics;
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
 * and never block; lines sent from another thread are queued in the event loop's one
 * {@link LoopOutbox} and written by a task on the channel's own loop. On the channel's own loop with nothing queued, a line is copied straight into the batch: no
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
    // the queue of lines from other threads, shared by every connection of the channel's event loop
    private final LoopOutbox outbox;

    private final AtomicBoolean closing = new AtomicBoolean();
    private final Runnable flushTask = this::flushTask;
    private final Runnable presenceFlushTask = this::presenceFlushTask;
    private boolean lastWritten; // event loop only
    private boolean flushScheduled; // event loop only
    private boolean presenceFlushScheduled; // event loop only

    private ClientConnection(Channel channel, HermesMetrics metrics, long presenceDelayNanos, LoopOutbox outbox) {
        this.channel = channel;
        this.address = formatAddress(channel.remoteAddress());
        this.metrics = metrics;
        this.presenceDelayNanos = presenceDelayNanos;
        this.coalescer = directAppendTarget(channel.pipeline());
        this.outbox = outbox;
    }

    /**
     * The connection of {@code channel}, created on first use with a queue of its own for lines from
     * other threads (a hub shares one per event loop: {@link HermesHub#attach}); call once its pipeline
     * is complete (from {@code channelActive} on), since it looks the coalescer up once.
     *
     * @param presenceDelayNanos how long a presence line's flush may wait ({@link HermesConfig#presenceDelay})
     * @param metrics            where lines encoded here are counted as delivered
     */
    public static ClientConnection attach(Channel channel, HermesMetrics metrics, long presenceDelayNanos) {
        return attach(channel, metrics, presenceDelayNanos, new LoopOutbox(channel.eventLoop()));
    }

    static ClientConnection attach(Channel channel, HermesMetrics metrics, long presenceDelayNanos, LoopOutbox outbox) {
        ClientConnection c = channel.attr(HermesAttributes.CONNECTION).get();
        if (c == null) {
            c = new ClientConnection(channel, metrics, presenceDelayNanos, outbox);
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

    LoopOutbox outbox() {
        return outbox;
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
        if (!closing.get()) {
            deliver(LineEncoding.encode(channel.alloc(), line), true);
        }
    }

    /**
     * Sends an encoded CRLF-terminated line shared by many recipients, without taking it over: on the
     * channel's own loop with nothing queued it is copied into the batch; elsewhere a retained duplicate
     * is queued. (The hub's fan-out queues one entry per event loop instead: {@link HermesHub}.)
     *
     * @param urgent false for a presence line (see {@link #sendPresence})
     */
    public void sendShared(ByteBuf line, boolean urgent) {
        if (closing.get()) {
            return;
        }
        if (coalescer != null && outbox.mayBypass()) {
            appendShared(line, urgent);
        } else {
            outbox.add(new LoopOutbox.Single(this, line.retainedDuplicate(), urgent));
        }
    }

    /** Sends {@code msg}, a {@link ServerEvent} or an encoded line this connection takes over. */
    private void deliver(Object msg, boolean urgent) {
        if (closing.get()) {
            ReferenceCountUtil.release(msg);
        } else if (coalescer != null && outbox.mayBypass()) {
            appendOwned(msg, urgent);
        } else {
            outbox.add(new LoopOutbox.Single(this, msg, urgent));
        }
    }

    /** Copies {@code line} into the batch (or writes a duplicate without a coalescer). Event loop only. */
    void appendShared(ByteBuf line, boolean urgent) {
        if (lastWritten) {
            return;
        }
        if (coalescer != null) {
            coalescer.append(line);
        } else {
            channel.write(line.retainedDuplicate(), channel.voidPromise());
        }
        scheduleFlush(urgent);
    }

    /** Adds {@code msg} (a {@link ServerEvent}, or an encoded line it takes over) to the batch. Event loop only. */
    void appendOwned(Object msg, boolean urgent) {
        if (lastWritten) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (coalescer == null) {
            if (msg instanceof ServerEvent) {
                channel.write(msg, channel.voidPromise()); // the pipeline's encoder counts it
            } else {
                metrics.linesDelivered(1);
                channel.write(msg, channel.voidPromise());
            }
        } else if (msg instanceof ByteBuf line) {
            try {
                coalescer.append(line);
            } finally {
                line.release();
            }
            metrics.linesDelivered(1);
        } else {
            ServerEvent event = (ServerEvent) msg;
            coalescer.append(event);
            metrics.linesDelivered(1);
            if (event instanceof ServerEvent.Error error) {
                metrics.error(error.code());
            }
        }
        scheduleFlush(urgent);
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
            channel.config().setAutoRead(false);
            if (outbox.mayBypass()) {
                writeLastAndClose(last);
            } else {
                outbox.add(new LoopOutbox.Close(this, last));
            }
        }
        return channel.closeFuture();
    }

    /**
     * {@link #closeWith} for a shutdown (docs/protocol.md §3.9): {@code last} goes out as soon as the
     * channel's event loop gets to it, ahead of lines still queued for the client from other threads,
     * which are dropped — so a flood queued behind it cannot hold the exit past the shutdown timeout.
     * Lines already in the client's batch go first. Any thread.
     *
     * @return the channel's close future
     */
    public ChannelFuture closeNow(ServerEvent last) {
        if (closing.compareAndSet(false, true)) {
            channel.config().setAutoRead(false);
            EventLoop loop = channel.eventLoop();
            if (loop.inEventLoop()) {
                writeLastAndClose(last);
            } else {
                try {
                    loop.execute(() -> writeLastAndClose(last));
                } catch (RejectedExecutionException e) {
                    channel.close();
                }
            }
        }
        return channel.closeFuture();
    }

    /** Writes the last line, or nothing, flushes, and closes once it is on the wire. Event loop only. */
    void writeLastAndClose(ServerEvent last) {
        if (lastWritten) {
            return;
        }
        lastWritten = true;
        Object msg = last != null ? last : Unpooled.EMPTY_BUFFER;
        // a real promise: the coalescer passes the batch on first, and the close waits for the flush
        channel.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Flushes after the current batch of I/O, or, for a presence line, up to {@code presenceDelay}
     * later: joins arrive one per event-loop turn, so without the wait each of n joins would cost every
     * client its own write(2). A batch of {@value #PRESENCE_FLUSH_BYTES} bytes or more goes at once: in
     * a storm of thousands of joins that bounds both the batches' memory and, with the delay, the writes.
     */
    private void scheduleFlush(boolean urgent) {
        EventLoop loop = channel.eventLoop();
        try {
            if (urgent || presenceDelayNanos == 0 || coalescer == null
                    || coalescer.pendingBytes() >= PRESENCE_FLUSH_BYTES) {
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

    @Override
    public String toString() {
        return "connection " + address;
    }
}
