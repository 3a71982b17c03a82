package io.hermesnet.server.cli;

import io.hermesnet.internal.logging.LogFormat;
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

    // The syntax itself is io.hermesnet.config.Units' (UnitsTest); here: picocli gets its values and errors.

    @Test
    void durationsAndSizesAreUnitsValues() {
        assertEquals(Duration.ofMillis(500), CliConverters.parseDuration("500ms"));
        assertEquals(Duration.ZERO, CliConverters.parseDuration("off"));
        assertEquals(64 * 1024, CliConverters.parseSize("64KiB"));
        assertEquals(0, CliConverters.parseSize("0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "soon", "999999999999999999h"})
    void aBadDurationIsAConversionErrorQuotingIt(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> CliConverters.parseDuration(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"64KB", "lots", "9999999999GiB"})
    void aBadSizeIsAConversionErrorQuotingIt(String text) {
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

    @Test
    void logFormatsInAnyCase() {
        assertEquals(LogFormat.TEXT, CliConverters.parseLogFormat("text"));
        assertEquals(LogFormat.JSON, CliConverters.parseLogFormat("JSON"));
        assertThrows(TypeConversionException.class, () -> CliConverters.parseLogFormat("xml"));
    }
}
