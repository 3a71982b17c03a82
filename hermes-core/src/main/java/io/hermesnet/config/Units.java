package io.hermesnet.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and sizes as every HermesNet command and configuration writes them ({@code docs/server.md},
 * "Durations" and "Sizes"), parsed and formatted in one place.
 *
 * <ul>
 * <li>A <b>duration</b> is a whole number with the unit {@code ms}, {@code s}, {@code m} or {@code h}:
 *     {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. A number without a unit (other than {@code 0}) is
 *     refused, so {@code 2} cannot silently mean 2 ms.</li>
 * <li>A <b>size</b> is a whole number of bytes, optionally with a binary unit {@code B}, {@code KiB}
 *     (1024), {@code MiB} or {@code GiB}: {@code 4096}, {@code 64KiB}, {@code 1MiB}. {@code KB}/{@code MB}
 *     are refused rather than guessed.</li>
 * <li>{@code off} and {@code 0} mean "disabled": {@link Duration#ZERO} and 0 bytes.</li>
 * </ul>
 *
 * <p>Units and {@code off} are matched in any case; surrounding white space is ignored. Every method
 * is stateless and thread-safe. Errors are {@link IllegalArgumentException}s whose message quotes the
 * text and shows the accepted forms, ready to print to a user (a picocli converter rethrows them as
 * {@code TypeConversionException}).
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})(b|kib|mib|gib)?");

    private Units() {
    }

    /**
     * Parses a duration, or {@code off} / {@code 0} for {@link Duration#ZERO}.
     *
     * @return a duration of at least zero that fits in a {@code long} of nanoseconds
     * @throws IllegalArgumentException for anything else, including a number without a unit and a
     *                                  duration too long to count in nanoseconds (about 292 years)
     */
    public static Duration parseDuration(String text) {
        String s = normalize(text);
        if (isOff(s)) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write it like 500ms, 2s, 1m, 1h, or off");
        }
        long n = Long.parseLong(m.group(1));
        try {
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            d.toNanos(); // Netty schedules in nanoseconds: refuse what it could not
            return d;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /**
     * Parses a size in bytes, or {@code off} / {@code 0} for 0.
     *
     * @return the size in bytes, at least 0
     * @throws IllegalArgumentException for anything else or a size above {@link Long#MAX_VALUE} bytes
     */
    public static long parseSize(String text) {
        String s = normalize(text);
        if (isOff(s)) {
            return 0;
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write it like 4096, 64KiB, 1MiB, or off");
        }
        int shift = switch (m.group(2) == null ? "b" : m.group(2)) {
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
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /**
     * Formats a duration the way {@link #parseDuration} reads it, in the largest unit that shows it
     * exactly: {@code 500ms}, {@code 90s}, {@code 2m}, {@code 1h}; zero is {@code 0ms}. Sub-millisecond
     * parts are dropped.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 60 != 0) {
            return s + "s";
        }
        long min = s / 60;
        return min % 60 != 0 ? min + "m" : min / 60 + "h";
    }

    private static String normalize(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isOff(String s) {
        return s.equals("off") || s.equals("0");
    }
}
