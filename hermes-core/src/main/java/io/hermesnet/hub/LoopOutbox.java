package io.hermesnet.hub;

import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lines other threads send to the clients of one event loop, in one FIFO queue, written by one task
 * on that loop (docs/design.md "One way out per client"). One per event loop, held by the
 * {@link HermesHub}; every {@link ClientConnection} of the loop shares it.
 *
 * <p>Why one queue per loop rather than one per client: a broadcast to n clients spread over k loops
 * costs k queue entries instead of n (a join storm of 10,000 clients sends 100 million presence lines),
 * and each loop copies the one shared line into its own clients' batches in parallel with the others.
 * Order is kept: a client's lines from other threads all pass through its loop's one queue, and a line
 * sent on the loop itself takes the direct path only while that queue is empty and not being drained.
 *
 * <p>Threading: {@link #add} from any thread; everything else on the loop.
 */
final class LoopOutbox implements Runnable {
    /** One line for one client: a {@link ServerEvent}, or an encoded line the entry owns. */
    record Single(ClientConnection to, Object msg, boolean urgent) {
    }

    /** One encoded line (owned, released after the drain) for every target of this loop but {@code except}. */
    record Shared(ByteBuf line, Session[] targets, Session except, boolean urgent) {
    }

    /** The last line for one client, then the close: see {@link ClientConnection#closeWith}. */
    record Close(ClientConnection to, ServerEvent last) {
    }

    private final EventLoop loop;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private boolean draining; // loop only

    LoopOutbox(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Whether a line sent on the loop right now may skip the queue without overtaking a queued one:
     * on the loop, nothing queued, no drain running.
     */
    boolean mayBypass() {
        return loop.inEventLoop() && !draining && queue.isEmpty();
    }

    /** Queues an entry and makes sure a drain task will run. Any thread. */
    void add(Object entry) {
        queue.add(entry);
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) { // the loop is shutting down, its channels with it
                scheduled.set(false);
                discard();
            }
        }
    }

    /** The drain task: hands every queued entry, in order, to its clients' batches. */
    @Override
    public void run() {
        scheduled.set(false); // before polling: an entry queued from now on schedules another drain
        draining = true;
        try {
            for (Object e; (e = queue.poll()) != null; ) {
                dispatch(e);
            }
        } finally {
            draining = false;
        }
    }

    private void dispatch(Object entry) {
        if (entry instanceof Shared s) {
            try {
                for (Session t : s.targets()) {
                    ClientConnection c = t.connection();
                    if (t != s.except() && c != null && c.outbox() == this && t.isJoined()) {
                        c.appendShared(s.line(), s.urgent());
                    }
                }
            } finally {
                s.line().release();
            }
        } else if (entry instanceof Single s) {
            s.to().appendOwned(s.msg(), s.urgent());
        } else if (entry instanceof Close c) {
            c.to().writeLastAndClose(c.last());
        }
    }

    private void discard() {
        for (Object e; (e = queue.poll()) != null; ) {
            if (e instanceof Shared s) {
                s.line().release();
            } else if (e instanceof Single s) {
                ReferenceCountUtil.release(s.msg());
            } else if (e instanceof Close c) {
                c.to().channel().close();
            }
        }
    }
}
