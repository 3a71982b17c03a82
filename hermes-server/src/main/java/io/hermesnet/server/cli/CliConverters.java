package io.hermesnet.server.cli;

import org.apache.logging.log4j.Level;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The picocli value converters of the {@code hermes-server} flags (SPEC §3.11, §4): durations
 * ({@code 500ms}, {@code 2s}, {@code 1m}), sizes ({@code 4096}, {@code 64KiB}, {@code 1MiB}), counts, and
 * log levels. {@code off} and {@code 0} mean "disabled" and convert to zero. Garbage is refused with a
 * {@link TypeConversionException} whose message shows the accepted forms; picocli prefixes the option
 * name, prints the usage and {@code execute} returns 2. All converters are stateless and thread-safe.
 */
public final class CliConverters {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})(b|kib|mib|gib)?");
    private static final Pattern COUNT = Pattern.compile("\\d{1,10}");

    private CliConverters() {
    }

    /**
     * Parses a duration: a whole number with the unit {@code ms}, {@code s}, {@code m} or {@code h}, or
     * {@code off} / {@code 0} for {@link Duration#ZERO} (disabled).
     *
     * @throws TypeConversionException for anything else, including a number without a unit and a
     *                                 duration too long to count in nanoseconds
     */
    public static Duration parseDuration(String text) {
        String s = normalize(text);
        if (isOff(s)) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration: write it like 500ms, 2s, 1m, 1h, or off");
        }
        long n = Long.parseLong(m.group(1));
        try {
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            d.toNanos(); // the handlers schedule in nanoseconds: refuse what they could not (about 292 years)
            return d;
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is too long a duration");
        }
    }

    /**
     * Parses a size in bytes: a whole number, optionally with the unit {@code B}, {@code KiB} (1024),
     * {@code MiB} or {@code GiB} (any case), or {@code off} / {@code 0} for 0 (disabled).
     *
     * @throws TypeConversionException for anything else or a size above {@link Long#MAX_VALUE} bytes
     */
    public static long parseSize(String text) {
        String s = normalize(text);
        if (isOff(s)) {
            return 0;
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size: write it like 4096, 64KiB, 1MiB, or off");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is too large a size");
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

    /** {@link #parseLevel} for picocli. */
    public static final class LevelConverter implements ITypeConverter<Level> {
        @Override
        public Level convert(String value) {
            return parseLevel(value);
        }
    }
}
