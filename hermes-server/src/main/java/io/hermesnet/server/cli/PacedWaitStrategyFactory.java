package io.hermesnet.server.cli;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import org.apache.logging.log4j.core.async.AsyncWaitStrategyFactory;

import java.util.concurrent.locks.LockSupport;

/**
 * The wait strategy of hermes-server's async loggers (named in log4j2.xml): log4j's background thread
 * takes at most one batch from the ring per {@link #MIN_BATCH_INTERVAL_NANOS}, then sleeps.
 *
 * <p>Why: the background thread shares the cores with the event loops (one core in the benchmarks).
 * Unpaced, a flood of RX and BROADCAST lines keeps it busy all the time and it takes up to half of a
 * shared core. Paced, it writes at most one ring (1024 slots, log4j2.component.properties) per 10 ms;
 * what does not fit is dropped and counted before it is built ({@link io.hermesnet.telemetry.LogGate}),
 * so under a flood its share of a core stays a few per cent. Lines wait at most 10 ms longer.
 *
 * <p>The event loops publish without waking anyone ({@link SleepingWaitStrategy#signalAllWhenBlocking}
 * does nothing): no lock and no system call per line. Log4j creates it with the public no-argument
 * constructor; the strategy is used by its one background thread only.
 */
public final class PacedWaitStrategyFactory implements AsyncWaitStrategyFactory {
    /** Least time between two batches taken from the ring, in ns: 10 ms. */
    static final long MIN_BATCH_INTERVAL_NANOS = 10_000_000L;

    /** For log4j's configuration. */
    public PacedWaitStrategyFactory() {
    }

    @Override
    public WaitStrategy createWaitStrategy() {
        return new Paced(MIN_BATCH_INTERVAL_NANOS);
    }

    /** Sleeps out the rest of the interval since the last batch, then waits as the sleeping strategy does. */
    static final class Paced implements WaitStrategy {
        // spin and yield a little, then sleep 1 ms at a time while the ring is empty
        private final SleepingWaitStrategy idle = new SleepingWaitStrategy(20, 1_000_000L);
        private final long intervalNanos;
        private long lastBatch = System.nanoTime();

        Paced(long intervalNanos) {
            this.intervalNanos = intervalNanos;
        }

        @Override
        public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
                throws AlertException {
            for (long left; (left = lastBatch + intervalNanos - System.nanoTime()) > 0; ) {
                barrier.checkAlert(); // a shutdown does not wait for the interval
                LockSupport.parkNanos(left);
            }
            long available = idle.waitFor(sequence, cursor, dependentSequence, barrier);
            lastBatch = System.nanoTime();
            return available;
        }

        @Override
        public void signalAllWhenBlocking() {
            // the background thread polls
        }
    }
}
