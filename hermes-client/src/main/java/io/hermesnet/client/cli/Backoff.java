package io.hermesnet.client.cli;

import java.time.Duration;
import java.util.Random;

/**
 * Delays between reconnect attempts: exponential (base × 2^(n-1), capped) with "equal jitter" — each
 * delay is drawn uniformly from the upper half of its exponential step, so clients that lost the same
 * server do not all come back at the same instant, and no delay is shorter than half its step.
 *
 * <p>Not thread-safe; used by the client's main thread only.
 */
final class Backoff {
    /** The first step. */
    static final Duration BASE = Duration.ofMillis(500);
    /** The largest step. */
    static final Duration MAX = Duration.ofSeconds(30);

    private final Random random;
    private final long baseMillis;
    private final long maxMillis;

    Backoff(Random random) {
        this(random, BASE, MAX);
    }

    Backoff(Random random, Duration base, Duration max) {
        this.random = random;
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
    }

    /**
     * The delay before retry number {@code attempt} (1 for the first retry): between half and all of
     * {@code min(max, base × 2^(attempt-1))}.
     */
    Duration delay(int attempt) {
        long step = maxMillis;
        if (attempt - 1 < 31) {
            step = Math.min(maxMillis, baseMillis << Math.max(0, attempt - 1));
        }
        long half = step / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (step - half)));
    }
}
