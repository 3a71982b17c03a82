package io.hermesnet.state;

/**
 * The values of the {@code ID} ticker (docs/protocol.md §3.2): unsigned 32-bit, unique across every server that
 * shares a {@link StateLog}. One server counts in memory ({@link #local}); a cluster leases blocks of
 * the counter from its store.
 *
 * <p>Threading: any thread; {@link #nextTick} never blocks.
 */
@FunctionalInterface
public interface TickSource {
    /** The next value, {@code 0..0xFFFFFFFF}; wraps to 0. */
    long nextTick();

    /** An in-memory counter whose first value is {@code first} (an unsigned 32-bit number). */
    static TickSource local(long first) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger((int) first);
        return () -> Integer.toUnsignedLong(counter.getAndIncrement());
    }
}
