package io.hermesnet.server;

import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.handler.WriteCoalescingHandler;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted client: its id, name, rank and room, and the channel it talks on. Created by
 * {@link HermesHub#join}; stored in the channel attribute {@link HermesAttributes#SESSION}.
 *
 * <p>Threading: the mutable fields are written only by the {@link HermesHub} while it holds its lock
 * and are {@code volatile}, so any thread may read them; a read outside the hub's lock is a snapshot.
 */
public final class Session {
    /** Presence lines wait for the delay only while the batch holds fewer bytes than this. */
    static final int PRESENCE_FLUSH_BYTES = 1024;

    private final long id;
    private final Channel channel;
    private final String address;
    private final Instant connectedSince;

    private volatile String name;
    private volatile int rank;
    private volatile Room room;
    private volatile boolean joined = true;

    // lines from the hub on their way to the channel, in the hub's order; drained on the channel's event loop
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainTask;
    private final Runnable flushTask = this::flushTask;
    private final Runnable presenceFlushTask = this::presenceFlushTask;
    private final long presenceDelayNanos;
    private boolean flushScheduled; // event loop only
    private boolean presenceFlushScheduled; // event loop only
    // the channel's write coalescer when lines may skip the pipeline walk to it, else null
    private final WriteCoalescingHandler coalescer;

    Session(long id, String name, int rank, Channel channel, Instant connectedSince, long presenceDelayNanos) {
        this.id = id;
        this.name = name;
        this.rank = rank;
        this.channel = channel;
        this.address = formatAddress(channel.remoteAddress());
        this.connectedSince = connectedSince;
        this.presenceDelayNanos = presenceDelayNanos;
        this.coalescer = directAppendTarget(channel.pipeline());
    }

    /**
     * The pipeline's write coalescer if the fan-out may append to it directly: only when no outbound
     * handler between it and the tail would see a written buffer (the event encoder passes buffers
     * through; a wire log or an embedder's own handler would be skipped), else null.
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

    /**
     * Whether the fan-out copies lines straight into this client's write coalescer (the fast path of
     * {@link #deliverShared}) rather than walking the pipeline: true with HermesNet's own pipeline at
     * every log level and limit; false when an embedder left the coalescer out or put an outbound
     * handler after it.
     */
    public boolean appendsDirectly() {
        return coalescer != null;
    }

    /** {@code ip:port} of an {@link InetSocketAddress}, else the address's own string. */
    public static String formatAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ':' + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The client id: 1, 2, …, never reused within a run. */
    public long id() {
        return id;
    }

    /** The current name. */
    public String name() {
        return name;
    }

    /** The current rank: 0 is the highest; connected clients hold exactly 0..n-1 (docs/protocol.md §3.5). */
    public int rank() {
        return rank;
    }

    /** The room id, or {@link ServerEvent.WhoEntry#NO_ROOM} when rooms are off. */
    public long roomId() {
        Room r = room;
        return r == null ? ServerEvent.WhoEntry.NO_ROOM : r.id();
    }

    /** The remote {@code ip:port}. */
    public String address() {
        return address;
    }

    /** When the client was admitted. */
    public Instant connectedSince() {
        return connectedSince;
    }

    /** The client's channel. */
    public Channel channel() {
        return channel;
    }

    /** Whether the client is still a member: false from the moment it starts leaving. */
    public boolean isJoined() {
        return joined;
    }

    /**
     * Sends one event to this client, from any thread, in the order of the calls: see {@link #deliver}.
     * Failures surface in the channel's {@code exceptionCaught}.
     */
    public void send(ServerEvent event) {
        deliver(event, true);
    }

    /**
     * {@link #send} for a presence line: its flush may wait up to the config's {@code presenceDelay}
     * for other lines to share it (an earlier line waiting in the batch goes with any flush).
     */
    void sendPresence(ServerEvent event) {
        deliver(event, false);
    }

    /**
     * Queues {@code msg} (a {@link ServerEvent}, or an encoded line this session now owns) for the
     * channel and writes the queue out on the channel's event loop.
     *
     * <p>Why not {@code channel.writeAndFlush}: Netty writes at once when called on the channel's own
     * event loop but queues a task when called from another one, so a line sent later from the
     * channel's loop could overtake a line sent earlier from another loop, and a client could see
     * {@code CLIENTS 400} before the last {@code LEAVE}, or a {@code LEAVE} before its {@code JOIN}. The
     * hub calls this under its lock, so every client gets the hub's lines in the hub's one order.
     * Once the client has left, queued lines are dropped, so its {@code BYE} stays last.
     *
     * <p>Lines written on the channel's own event loop are flushed by a task that runs after the
     * current batch of I/O, so a burst of broadcasts (a hundred clients joining) costs each client one
     * flush, not one per line; a handler's own {@code writeAndFlush} flushes them too, in order.
     */
    void deliver(Object msg, boolean urgent) {
        outbox.add(msg);
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            if (drain()) {
                scheduleFlush(loop, urgent);
            }
        } else if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) { // the event loop is shutting down
                drainScheduled.set(false);
                discardOutbox();
            }
        }
    }

    /**
     * The fan-out's {@link #deliver}: sends the encoded line {@code line} (a CRLF-terminated line
     * shared by every recipient) without taking it over. On the channel's own event loop, with nothing
     * queued from other loops, the line is copied straight into the channel's
     * {@link WriteCoalescingHandler} batch: no queue, no pipeline walk, one flush per batch of I/O.
     * Elsewhere a retained duplicate goes through the outbox.
     *
     * @param urgent false for a presence line, whose flush may wait (see {@link #sendPresence})
     */
    void deliverShared(ByteBuf line, boolean urgent) {
        EventLoop loop = channel.eventLoop();
        if (coalescer != null && loop.inEventLoop() && outbox.isEmpty()) {
            if (joined) {
                coalescer.append(line);
                scheduleFlush(loop, urgent);
            }
        } else {
            deliver(line.retainedDuplicate(), urgent);
        }
    }

    private void drainTask() {
        drainScheduled.set(false); // before polling: a line queued from now on schedules another drain
        if (drain()) {
            channel.flush();
        }
    }

    /** Writes the queued lines, unflushed; returns whether it wrote any. Event loop only. */
    private boolean drain() {
        if (!joined) {
            discardOutbox();
            return false;
        }
        boolean wrote = false;
        for (Object msg; (msg = outbox.poll()) != null; ) {
            if (coalescer != null && msg instanceof ByteBuf line) {
                try {
                    coalescer.append(line);
                } finally {
                    line.release();
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
     * client its own write(2). Any flush takes the whole batch, so a chat line never waits behind one.
     * A batch of {@value #PRESENCE_FLUSH_BYTES} bytes or more goes at once: in a storm of thousands of
     * joins that bounds both the batches' memory and, with the delay, the number of writes.
     */
    private void scheduleFlush(EventLoop loop, boolean urgent) {
        try {
            if (urgent || presenceDelayNanos == 0
                    || coalescer != null && coalescer.pendingBytes() >= PRESENCE_FLUSH_BYTES) {
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

    void name(String name) {
        this.name = name;
    }

    void rank(int rank) {
        this.rank = rank;
    }

    Room room() {
        return room;
    }

    void room(Room room) {
        this.room = room;
    }

    void left() {
        joined = false;
    }

    @Override
    public String toString() {
        return "client " + id + " (" + name + ", " + address + ")";
    }
}
