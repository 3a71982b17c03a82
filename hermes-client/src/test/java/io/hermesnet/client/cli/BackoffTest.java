package io.hermesnet.client.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void eachDelayLiesInTheUpperHalfOfADoublingCappedStep() {
        Backoff backoff = new Backoff(new Random(42));
        for (int attempt = 1; attempt <= 40; attempt++) {
            long step = Math.min(Backoff.MAX.toMillis(), Backoff.BASE.toMillis() << Math.min(attempt - 1, 30));
            for (int i = 0; i < 50; i++) {
                long d = backoff.delay(attempt).toMillis();
                assertTrue(d >= step / 2 && d <= step, "attempt " + attempt + ": " + d + " ms, step " + step);
            }
        }
    }

    @Test
    void delaysAreJittered() {
        Backoff backoff = new Backoff(new Random(7));
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(backoff.delay(5));
        }
        assertTrue(seen.size() > 10, seen.toString());
    }

    @Test
    void hugeAttemptNumbersStayAtTheCap() {
        Backoff backoff = new Backoff(new Random(1));
        long d = backoff.delay(Integer.MAX_VALUE).toMillis();
        assertTrue(d >= Backoff.MAX.toMillis() / 2 && d <= Backoff.MAX.toMillis(), Long.toString(d));
    }
}
