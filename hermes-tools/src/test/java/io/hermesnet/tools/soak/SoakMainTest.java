package io.hermesnet.tools.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link SoakMain}'s command line and statistics (the soak itself is a tool, not a test: docs/soak.md). */
class SoakMainTest {
    @Test
    void theWarmUpIsSixtySecondsOrAQuarterOfTheRun() {
        assertEquals(Duration.ofSeconds(60), SoakMain.Options.parse(new String[] {"--duration", "10m"}).warmup());
        assertEquals(Duration.ofSeconds(15), SoakMain.Options.parse(new String[] {"--duration", "60s"}).warmup());
        assertEquals(Duration.ofSeconds(5),
                SoakMain.Options.parse(new String[] {"--duration", "60s", "--warmup", "5s"}).warmup());
        assertEquals(Duration.ZERO, SoakMain.Options.parse(new String[] {"--duration", "60s", "--warmup", "0s"}).warmup());
    }

    @Test
    void aWarmUpAsLongAsTheRunIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SoakMain.Options.parse(new String[] {"--duration", "60s", "--warmup", "1m"}));
        assertThrows(IllegalArgumentException.class, () -> SoakMain.Options.parse(new String[] {"--warmup", "soon"}));
    }

    @Test
    void histogramPercentilesAreInMilliseconds() {
        SoakMain.Histogram h = new SoakMain.Histogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.record(ms);
        }
        h.record(-3); // a tick that came early counts as 0
        assertEquals(101, h.count());
        assertEquals(50, h.percentile(50));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.max());
        assertEquals("n=101 p50=50 p99=99 max=100", h.toString());
    }
}
