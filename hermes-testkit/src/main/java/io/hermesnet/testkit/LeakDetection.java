package io.hermesnet.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;

/**
 * Makes Netty's {@link io.netty.util.ResourceLeakDetector} report now the buffers a test leaked,
 * so that the {@code LEAK:} line lands in that test's output (where the build's leak gate looks for
 * it; README, "Tests") instead of in some later test's, or nowhere when the JVM exits first.
 *
 * <p>How: the detector learns of a leak only when the garbage collector has collected an unreleased
 * buffer and the JVM has enqueued its phantom reference; it reports what is queued whenever a new
 * buffer is tracked. So {@link #flush()} runs the collector, waits (bounded) until a canary weak
 * reference of its own has been enqueued — twice, so that the reference handler has finished the
 * first collection's batch — and then allocates and releases a few buffers from the pooled and
 * unpooled allocators. Use with {@code -Dio.netty.leakDetection.level=paranoid}, where every buffer
 * is tracked; at lower levels the detector samples and a report may still come later.
 *
 * <p>Thread-safe; blocks the caller for about two collections. Never call it on an event loop.
 */
public final class LeakDetection {
    /** How long {@link #flush()} waits for each collection's references to be enqueued. */
    public static final Duration GC_WAIT = Duration.ofSeconds(2);

    private static final int PROBES = 8;

    private LeakDetection() {
    }

    /**
     * Collects garbage and has the leak detectors report every leak found; see the class comment.
     * A report is an ERROR log line starting {@code LEAK:} from Netty's logger; nothing is thrown.
     */
    public static void flush() {
        awaitCollection();
        awaitCollection();
        probe(PooledByteBufAllocator.DEFAULT);
        probe(UnpooledByteBufAllocator.DEFAULT);
        probe(ByteBufAllocator.DEFAULT);
    }

    /**
     * Runs the garbage collector and waits, at most {@link #GC_WAIT}, until a weak reference cleared
     * by that collection has been enqueued.
     *
     * @return whether the canary was enqueued in time (false: the JVM ignored {@code System.gc()})
     */
    public static boolean awaitCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            return queue.remove(GC_WAIT.toMillis()) == canary;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Allocates and releases tracked buffers: each new tracked buffer makes the detector report its queue. */
    private static void probe(ByteBufAllocator alloc) {
        for (int i = 0; i < PROBES; i++) {
            ByteBuf heap = alloc.heapBuffer(16);
            heap.release();
            ByteBuf direct = alloc.directBuffer(16);
            direct.release();
        }
    }
}
