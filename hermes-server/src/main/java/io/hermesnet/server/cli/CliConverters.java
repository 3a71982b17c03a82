package io.hermesnet.server.cli;

import io.hermesnet.config.Units;
import io.hermesnet.internal.logging.LogFormat;
import org.apache.logging.log4j.Level;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The picocli value converters of the {@code hermes-server} flags (docs/protocol.md §3.11, §4): durations
 * ({@code 500ms}, {@code 2s}, {@code 1m}) and sizes ({@code 4096}, {@code 64KiB}, {@code 1MiB}) as
 * {@link Units} reads them for every command, counts, and log levels. {@code off} and {@code 0} mean "disabled" and convert to zero. Garbage is refused with a
 * {@link TypeConversionException} whose message shows the accepted forms; picocli prefixes the option
 * name, prints the usage and {@code execute} returns 2. All converters are stateless and thread-safe.
 */
public final class CliConverters {
    private static final Pattern COUNT = Pattern.compile("\\d{1,10}");

    private CliConverters() {
    }

    /**
     * {@link Units#parseDuration}: a whole number with the unit {@code ms}, {@code s}, {@code m} or
     * {@code h}, or {@code off} / {@code 0} for {@link Duration#ZERO} (disabled).
     *
     * @throws TypeConversionException for anything else, with {@link Units}' message
     */
    public static Duration parseDuration(String text) {
        try {
            return Units.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * {@link Units#parseSize}: bytes, optionally with {@code B}, {@code KiB}, {@code MiB} or {@code GiB},
     * or {@code off} / {@code 0} for 0 (disabled).
     *
     * @throws TypeConversionException for anything else, with {@link Units}' message
     */
    public static long parseSize(String text) {
        try {
            return Units.parseSize(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Parses a non-negative count such as a rate or a per-IP limit, or {@code off} for 0 (disabled).
     *
     * @throws TypeConversionException for anything else or a count above {@link Integer#MAX_VALUE}
     */
    public static int parseLimit(String text) {
        String s = normalize(text);
        if (isOff(s)) {
            return 0;
        }
        if (!COUNT.matcher(s).matches()) {
            throw new TypeConversionException("'" + text + "' is not a count: write a whole number, or off");
        }
        long n = Long.parseLong(s);
        if (n > Integer.MAX_VALUE) {
            throw new TypeConversionException("'" + text + "' is too large");
        }
        return (int) n;
    }

    /**
     * Parses a log4j level name (any case): {@code off}, {@code fatal}, {@code error}, {@code warn},
     * {@code info}, {@code debug}, {@code trace} or {@code all}.
     *
     * @throws TypeConversionException for any other name
     */
    public static Level parseLevel(String text) {
        Level level = Level.getLevel(normalize(text).toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new TypeConversionException("'" + text + "' is not a log level: use one of error, warn, info, debug, trace, off");
        }
        return level;
    }

    /**
     * Parses a log format name (any case): {@code text} or {@code json}.
     *
     * @throws TypeConversionException for any other name
     */
    public static LogFormat parseLogFormat(String text) {
        try {
            return LogFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    private static String normalize(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isOff(String s) {
        return s.equals("off") || s.equals("0");
    }

    /** {@link #parseDuration} for picocli. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /** {@link #parseSize} for picocli. */
    public static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseSize(value);
        }
    }

    /** {@link #parseLimit} for picocli. */
    public static final class LimitConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parseLimit(value);
        }
    }

    /** {@link #parseLogFormat} for picocli. */
    public static final class LogFormatConverter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return parseLogFormat(value);
        }
    }

    /** {@link #parseLevel} for picocli. */
    public static final class LevelConverter implements ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            return parseLevel(value);
        }
    }
}
