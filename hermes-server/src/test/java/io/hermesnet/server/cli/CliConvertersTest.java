package io.hermesnet.server.cli;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliConvertersTest {

    @Test
    void durationsWithTheirUnits() {
        assertEquals(Duration.ofMillis(500), CliConverters.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(2), CliConverters.parseDuration("2s"));
        assertEquals(Duration.ofMinutes(1), CliConverters.parseDuration("1m"));
        assertEquals(Duration.ofHours(3), CliConverters.parseDuration("3h"));
        assertEquals(Duration.ofSeconds(10), CliConverters.parseDuration(" 10S "));
    }

    @Test
    void offAndZeroDisableADuration() {
        assertEquals(Duration.ZERO, CliConverters.parseDuration("off"));
        assertEquals(Duration.ZERO, CliConverters.parseDuration("OFF"));
        assertEquals(Duration.ZERO, CliConverters.parseDuration("0"));
        assertEquals(Duration.ZERO, CliConverters.parseDuration("0ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "1.5s", "-1s", "2x", "s", "ms500", "1 s", "soon", "99999999999999999999s", "999999999h"})
    void garbageIsNotADuration(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> CliConverters.parseDuration(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void hugeDurationIsRefusedNotWrapped() {
        assertThrows(TypeConversionException.class, () -> CliConverters.parseDuration("999999999999999999h"));
    }

    @Test
    void sizesInBytesAndBinaryUnits() {
        assertEquals(4096, CliConverters.parseSize("4096"));
        assertEquals(64 * 1024, CliConverters.parseSize("64KiB"));
        assertEquals(1024 * 1024, CliConverters.parseSize("1MiB"));
        assertEquals(2L * 1024 * 1024 * 1024, CliConverters.parseSize("2GiB"));
        assertEquals(17, CliConverters.parseSize("17B"));
        assertEquals(1024, CliConverters.parseSize("1kib"));
    }

    @Test
    void offAndZeroDisableASize() {
        assertEquals(0, CliConverters.parseSize("off"));
        assertEquals(0, CliConverters.parseSize("0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5MiB", "64KB", "1M", "lots", "KiB", "8EiB", "9999999999999999999", "9999999999GiB"})
    void garbageIsNotASize(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> CliConverters.parseSize(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void limitsAreCountsOrOff() {
        assertEquals(0, CliConverters.parseLimit("off"));
        assertEquals(0, CliConverters.parseLimit("0"));
        assertEquals(20, CliConverters.parseLimit("20"));
        assertEquals(Integer.MAX_VALUE, CliConverters.parseLimit(Integer.toString(Integer.MAX_VALUE)));
        assertThrows(TypeConversionException.class, () -> CliConverters.parseLimit("-3"));
        assertThrows(TypeConversionException.class, () -> CliConverters.parseLimit("ten"));
        assertThrows(TypeConversionException.class, () -> CliConverters.parseLimit("2147483648"));
    }

    @Test
    void logLevelsInAnyCase() {
        assertEquals(Level.DEBUG, CliConverters.parseLevel("debug"));
        assertEquals(Level.WARN, CliConverters.parseLevel("WARN"));
        assertEquals(Level.OFF, CliConverters.parseLevel("off"));
        assertThrows(TypeConversionException.class, () -> CliConverters.parseLevel("loud"));
    }
}
