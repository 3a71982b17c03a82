package io.hermesnet.hub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A peer that does not read yet, for {@link TestClient}s: placed first in the pipeline, it holds every
 * outbound write (its promise stays incomplete, as with a full socket buffer) until {@link #release()}.
 * Lets a test act while a {@code BYE} is written but not yet flushed, so the connection is not yet closed.
 * Test support only; not sharable.
 */
public final class HeldWrites extends ChannelOutboundHandlerAdapter {
    private final Queue<Object> messages = new ArrayDeque<>();
    private final Queue<ChannelPromise> promises = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean holding = true;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (holding) {
            messages.add(msg);
            promises.add(promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!holding) {
            ctx.flush();
        }
    }

    /**
     * The lines written so far and still held, in order. What a socket would send once the peer reads:
     * a real transport gathers them into one write, so a line held after {@code BYE} does reach the peer
     * (an {@code EmbeddedChannel} would drop it when the close that follows {@code BYE} fails the rest).
     */
    public List<String> heldLines() {
        List<String> out = new ArrayList<>();
        for (Object m : messages) {
            String text = ((ByteBuf) m).toString(StandardCharsets.UTF_8);
            out.addAll(List.of(text.substring(0, text.length() - 2).split("\r\n", -1)));
        }
        return out;
    }

    /** Lets every held write through, flushes, and stops holding. */
    public void release() {
        holding = false;
        while (!messages.isEmpty()) {
            ctx.write(messages.poll(), promises.poll());
        }
        ctx.flush();
        ((io.netty.channel.embedded.EmbeddedChannel) ctx.channel()).runPendingTasks();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        while (!messages.isEmpty()) {
            ReferenceCountUtil.release(messages.poll());
            promises.poll().tryFailure(new ClosedChannelException());
        }
    }
}
