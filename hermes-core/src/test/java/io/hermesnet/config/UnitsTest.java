package io.hermesnet.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitsTest {

    @Test
    void durationsWithTheirUnitsInAnyCase() {
        assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(2), Units.parseDuration("2s"));
        assertEquals(Duration.ofMinutes(1), Units.parseDuration("1m"));
        assertEquals(Duration.ofHours(3), Units.parseDuration("3h"));
        assertEquals(Duration.ofSeconds(10), Units.parseDuration(" 10S "));
        assertEquals(Duration.ofMillis(250), Units.parseDuration("250MS"));
    }

    @Test
    void offAndZeroAreTheZeroDuration() {
        assertEquals(Duration.ZERO, Units.parseDuration("off"));
        assertEquals(Duration.ZERO, Units.parseDuration("Off"));
        assertEquals(Duration.ZERO, Units.parseDuration("0"));
        assertEquals(Duration.ZERO, Units.parseDuration("0s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "1.5s", "-1s", "2x", "s", "ms500", "1 s", "soon", "2sec", "99999999999999999999s"})
    void garbageIsNotADurationAndTheMessageQuotesIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("500ms"), e.getMessage());
    }

    @Test
    void aDurationNettyCannotScheduleIsRefusedNotWrapped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Units.parseDuration("999999999999999999h"));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        assertEquals(Duration.ofHours(2_000_000), Units.parseDuration("2000000h"));
    }

    @Test
    void sizesInBytesAndBinaryUnits() {
        assertEquals(4096, Units.parseSize("4096"));
        assertEquals(17, Units.parseSize("17B"));
        assertEquals(64 * 1024, Units.parseSize("64KiB"));
        assertEquals(1024, Units.parseSize("1kib"));
        assertEquals(1024 * 1024, Units.parseSize("1MiB"));
        assertEquals(2L * 1024 * 1024 * 1024, Units.parseSize("2GiB"));
        assertEquals(Long.MAX_VALUE, Units.parseSize(Long.toString(Long.MAX_VALUE)));
    }

    @Test
    void offAndZeroAreZeroBytes() {
        assertEquals(0, Units.parseSize("off"));
        assertEquals(0, Units.parseSize("0"));
        assertEquals(0, Units.parseSize("0KiB"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5MiB", "64KB", "1M", "lots", "KiB", "8EiB", "9999999999999999999", "9999999999GiB"})
    void garbageIsNotASizeAndTheMessageQuotesIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void formatUsesTheLargestExactUnit() {
        assertEquals("0ms", Units.format(Duration.ZERO));
        assertEquals("500ms", Units.format(Duration.ofMillis(500)));
        assertEquals("1500ms", Units.format(Duration.ofMillis(1500)));
        assertEquals("30s", Units.format(Duration.ofSeconds(30)));
        assertEquals("90s", Units.format(Duration.ofSeconds(90)));
        assertEquals("2m", Units.format(Duration.ofMinutes(2)));
        assertEquals("90m", Units.format(Duration.ofMinutes(90)));
        assertEquals("1h", Units.format(Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> Units.format(Duration.ofSeconds(-1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "999ms", "1s", "59s", "61s", "1m", "59m", "2h", "25h", "3601s"})
    void formatReadsBackAsTheSameDuration(String text) {
        Duration d = Units.parseDuration(text);
        assertEquals(d, Units.parseDuration(Units.format(d)));
    }
}
