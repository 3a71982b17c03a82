package io.hermesnet.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a fuzz target can assert, right
 * after {@code finishAndReleaseAll()}, that each one was released: a deterministic leak check that
 * does not depend on the garbage collector the way Netty's leak detector does.
 *
 * <p>Not thread-safe: one per fuzz run, used on the run's thread (EmbeddedChannels run there).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, initialCapacity, maxCapacity));
    }

    private ByteBuf track(ByteBuf buf) {
        allocated.add(buf);
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** How many buffers were allocated and are still referenced. */
    int unreleased() {
        int n = 0;
        for (ByteBuf b : allocated) {
            if (b.refCnt() > 0) {
                n++;
            }
        }
        return n;
    }

    /** How many buffers were allocated. */
    int allocated() {
        return allocated.size();
    }
}
