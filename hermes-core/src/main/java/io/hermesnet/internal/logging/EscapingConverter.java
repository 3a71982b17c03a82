package io.hermesnet.internal.logging;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;
import org.apache.logging.log4j.status.StatusLogger;

import java.util.List;

/**
 * The log4j {@code PatternLayout} converter {@code %esc{pattern}}: formats {@code pattern} (in the
 * apps' {@code log4j2.xml}, {@code %esc{%msg}}) and writes every character that could end a log line
 * or drive a terminal as a visible escape (docs/protocol.md §3.10 "Logging"), so text a client sent can
 * never forge a log line or reach the operator's terminal raw:
 * <ul>
 * <li>CR, LF and TAB as {@code \r}, {@code \n}, {@code \t};</li>
 * <li>every other C0 control, DEL and the C1 controls U+0080–U+009F as {@code \xhh} (ESC is {@code \x1b});</li>
 * <li>the Unicode line and paragraph separators U+2028, U+2029 and the bidirectional formatting
 *     characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which reorder what a viewer
 *     shows, as {@code \}{@code uhhhh};</li>
 * <li>a backslash as {@code \\}, so an escape in the log is always one the layout wrote, never text a
 *     client typed to look like one.</li>
 * </ul>
 * Everything else, any script included, is written as it is. Lookups ({@code ${jndi:…}}) are never
 * evaluated: log4j 2.15 and later do not interpret message text, and this converter only copies it.
 *
 * <p>A line with nothing to escape costs one scan and no allocation. Stateless and thread-safe: log4j's
 * background thread (or any appender thread) may call {@link #format} concurrently.
 */
@Plugin(name = "EscapingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"esc"})
public final class EscapingConverter extends LogEventPatternConverter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PatternFormatter[] formatters;

    private EscapingConverter(List<PatternFormatter> formatters) {
        super("esc", "esc");
        this.formatters = formatters.toArray(new PatternFormatter[0]);
    }

    /**
     * The converter for {@code %esc{pattern}}; called by log4j's {@code PatternParser}.
     *
     * @param options exactly one: the pattern whose output is escaped
     * @return the converter, or null (log4j then reports the pattern as invalid) without exactly one option
     */
    public static EscapingConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1) {
            StatusLogger.getLogger().error("%esc takes exactly one pattern, e.g. %esc{%msg}");
            return null;
        }
        PatternParser parser = PatternLayout.createPatternParser(config);
        return new EscapingConverter(parser.parse(options[0]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter f : formatters) {
            f.format(event, toAppendTo);
        }
        escapeFrom(toAppendTo, start);
    }

    @Override
    public boolean handlesThrowable() {
        for (PatternFormatter f : formatters) {
            if (f.handlesThrowable()) {
                return true;
            }
        }
        return false;
    }

    /** Escapes, in place, the characters of {@code b} from index {@code start} on. */
    static void escapeFrom(StringBuilder b, int start) {
        int n = b.length();
        int i = start;
        while (i < n && !needsEscape(b.charAt(i))) {
            i++;
        }
        if (i == n) {
            return;
        }
        String rest = b.substring(i);
        b.setLength(i);
        for (int k = 0; k < rest.length(); k++) {
            char c = rest.charAt(k);
            if (!needsEscape(c)) {
                b.append(c);
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c < 0x100) {
                b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                b.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
    }

    private static boolean needsEscape(char c) {
        if (c < 0x20 || c == '\\') {
            return true;
        }
        if (c < 0x7F) {
            return false;
        }
        return c <= 0x9F
                || c == '\u2028' || c == '\u2029'
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || c >= '\u202A' && c <= '\u202E'
                || c >= '\u2066' && c <= '\u2069';
    }
}
