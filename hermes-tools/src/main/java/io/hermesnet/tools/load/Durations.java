package io.hermesnet.tools.load;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as every HermesNet command writes them (SPEC §3.11): a whole number with the unit
 * {@code ms}, {@code s}, {@code m} or {@code h}, e.g. {@code 500ms}, {@code 30s}, {@code 2m}. Stateless.
 */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for anything else, including a number without a unit
     */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write it like 500ms, 30s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** How a duration is shown in the summary: {@code 500ms}, {@code 90s}, {@code 2m}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 || ms == 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s < 60 || s % 60 != 0 ? s + "s" : s / 60 + "m";
    }
}
