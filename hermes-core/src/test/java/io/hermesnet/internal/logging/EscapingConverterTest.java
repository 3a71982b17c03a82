package io.hermesnet.internal.logging;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code %esc{%msg}} as the apps' {@code log4j2.xml} use it (docs/protocol.md §3.10): a layout found through
 * log4j's plugin index, writing every control character of client text as an escape and nothing else changed.
 */
class EscapingConverterTest {
    private static String write(String pattern, String format, Object... args) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        PatternLayout layout = PatternLayout.newBuilder().withPattern(pattern).withConfiguration(context.getConfiguration()).build();
        LogEvent event = Log4jLogEvent.newBuilder()
                .setLoggerName("test")
                .setLevel(Level.INFO)
                .setMarker(MarkerManager.getMarker("RX"))
                .setMessage(new ParameterizedMessage(format, args))
                .build();
        return layout.toSerializable(event);
    }

    private static String escaped(String text) {
        return write("%esc{%msg}", "{}", text);
    }

    @Test
    void crLfTabAndEscapeSequencesAreWrittenAsEscapes() {
        assertEquals("hi\\rFORGED [STATE] Client 1 disconnected\\n\\x1b[2J\\tx",
                escaped("hi\rFORGED [STATE] Client 1 disconnected\n\u001b[2J\tx"));
    }

    @Test
    void everyC0ControlDelAndC1ControlIsEscapedAndNothingElse() {
        for (char c = 0; c < 0x100; c++) {
            String out = escaped("a" + c + "b");
            boolean control = c < 0x20 || c >= 0x7F && c <= 0x9F;
            if (control) {
                assertTrue(out.matches("a\\\\(x[0-9a-f]{2}|[rnt])b"), Integer.toHexString(c) + " -> " + out);
                if (c != '\r' && c != '\n' && c != '\t') {
                    assertEquals(String.format("a\\x%02xb", (int) c), out);
                }
            } else if (c == '\\') {
                assertEquals("a\\\\b", out, "a backslash is doubled, so no client text looks like an escape");
            } else {
                assertEquals("a" + c + "b", out, "U+" + Integer.toHexString(c) + " is written as it is");
            }
        }
    }

    @Test
    void lineSeparatorsAndBidiControlsAreEscapedOtherScriptsAreNot() {
        assertEquals("\\u2028\\u2029\\u202e\\u2066 héllo ☃ Ωμέγα 漢字 😀",
                escaped("\u2028\u2029\u202e\u2066 héllo ☃ Ωμέγα 漢字 😀"));
    }

    @Test
    void lookupsAndFormatStringsStayLiteral() {
        String hostile = "${jndi:ldap://x/a} ${env:HOME} ${sys:user.home} %s %n {} %d{HH}";
        assertEquals(hostile, escaped(hostile));
        String home = System.getenv("HOME");
        if (home != null && !home.isEmpty()) {
            assertFalse(escaped("x ${env:HOME} y").contains(home), "the lookup was evaluated");
        }
    }

    @Test
    void onlyTheWrappedPatternIsEscapedTheRestOfTheLayoutIsNot() {
        assertEquals("[RX] a\\nb\n", write("[%markerSimpleName] %esc{%msg}%n", "{}", "a\nb"));
        assertEquals("plain text, nothing to escape", escaped("plain text, nothing to escape"));
    }
}
