package io.hermesnet.tools.load;

import io.hermesnet.config.Units;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@code hermes-load} run measured, and its verdict ({@link #exitCode()}). Printed by
 * {@link #toText()} or, with {@code --json}, {@link #toJson()}; every field is described in
 * {@code docs/load.md}. Times are seconds from the start of publishing unless named otherwise.
 *
 * @param options          what the run was asked to do
 * @param ready            connections that got their {@code WELCOME}
 * @param measured         whether the run got past the setup into publishing (or holding)
 * @param setupSeconds     from the first connect to the last {@code WELCOME}
 * @param settleSeconds    the wait for the presence lines to stop
 * @param sent             chat lines written by the publishers
 * @param publishSeconds   until the last publisher finished
 * @param expected         {@code sent} × subscribers
 * @param received         marker lines the subscribers received, duplicates included
 * @param duplicates       of those, lines whose sequence number was not above the last one from that publisher
 * @param gaps             jumps in a publisher's sequence numbers seen by a subscriber
 * @param lost             {@code expected} minus the distinct lines received
 * @param deliverySeconds  until the last chat line arrived
 * @param latency          chat latency, publisher's write to subscriber's read
 * @param serverErrors     {@code ERROR} lines received after {@code WELCOME}
 * @param lastServerError  the last of them, or null
 * @param closedByServer   connections (after their {@code WELCOME}) the server closed before the end
 * @param closedLastLines  their last {@code BYE} or {@code ERROR} line, with a count each
 * @param ticks            the tick measurements with {@code --ticks}, else null
 * @param outcome          setup failed, timed out, or ran to the end
 * @param problem          why the setup failed or where the timeout struck; null when it ran to the end
 */
public record LoadReport(LoadOptions options, int ready, boolean measured, double setupSeconds, double settleSeconds, long sent,
                         double publishSeconds, long expected, long received, long duplicates, long gaps, long lost,
                         double deliverySeconds, Latency latency, long serverErrors, String lastServerError,
                         int closedByServer, Map<String, Integer> closedLastLines, Ticks ticks, Outcome outcome,
                         String problem) {

    /** Exit code: all fine. */
    public static final int EXIT_OK = 0;
    /** Exit code: lines lost or duplicated, connections closed by the server, ticks missed or duplicated. */
    public static final int EXIT_LOSS = 1;
    /**
     * Exit code: no connection to the server could be made (refused, unknown host, timed out); the same code
     * as {@link #EXIT_LOSS}, as for any client that cannot reach its server, and told apart by the one line
     * on standard error.
     */
    public static final int EXIT_CANNOT_CONNECT = 1;
    /** Exit code: bad arguments (picocli's usage error). */
    public static final int EXIT_USAGE = 2;
    /** Exit code: a connection was closed or answered with ERROR before its WELCOME. */
    public static final int EXIT_SETUP_FAILED = 3;
    /** Exit code: {@code --timeout} passed. */
    public static final int EXIT_TIMEOUT = 4;

    public LoadReport {
        closedLastLines = Collections.unmodifiableMap(new TreeMap<>(closedLastLines));
    }

    /** How far the run got. */
    public enum Outcome {
        /** Ran to the end; {@link #failures()} says whether anything went wrong. */
        COMPLETED,
        /** A connection could not be made at all (refused, unknown host, timed out): see {@link #problem()}. */
        CANNOT_CONNECT,
        /** A connection was made but not welcomed (closed, or answered with ERROR): see {@link #problem()}. */
        SETUP_FAILED,
        /** {@code --timeout} passed: see {@link #problem()}. */
        TIMEOUT
    }

    /**
     * Chat latency percentiles in microseconds.
     *
     * @param count samples (marker lines received)
     */
    public record Latency(long count, long p50, long p90, long p99, long p999, long max) {
        static Latency of(Histogram nanos) {
            return new Latency(nanos.getTotalCount(), micros(nanos, 50), micros(nanos, 90), micros(nanos, 99),
                    micros(nanos, 99.9), nanos.getTotalCount() == 0 ? 0 : nanos.getMaxValue() / 1000);
        }

        private static long micros(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1000;
        }
    }

    /**
     * The {@code ID} ticks of the subscribers, up to the end of the hold (docs/protocol.md §3.2).
     *
     * @param intervalMs      the expected interval
     * @param received        ID lines received
     * @param expected        per client, the whole intervals from its WELCOME to the end of the hold minus one
     *                        (slack for the boundaries), summed
     * @param clientsMissing  clients that received fewer ID lines than expected of them
     * @param duplicateIds    ID values received more than once, over all clients, beyond their first time
     * @param delay           tick delay: interval between consecutive ID lines of a client (the first
     *                        from its WELCOME) minus {@code intervalMs}, counted as 0 when early; all ticks
     * @param holdDelay       the same for the ticks that arrived during the hold, after the setup
     */
    public record Ticks(long intervalMs, long received, long expected, int clientsMissing, long duplicateIds,
                        Delay delay, Delay holdDelay) {
    }

    /** Percentiles of a delay in milliseconds. */
    public record Delay(long count, double p50Ms, double p99Ms, double maxMs) {
        static Delay of(Histogram micros) {
            return new Delay(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0, micros.getTotalCount() == 0 ? 0 : micros.getMaxValue() / 1000.0);
        }
    }

    /** Chat lines delivered to subscribers per second, distinct lines only. */
    public double deliveredPerSecond() {
        return deliverySeconds > 0 ? (received - duplicates) / deliverySeconds : 0;
    }

    /** Chat lines written by the publishers per second. */
    public double publishedPerSecond() {
        return publishSeconds > 0 ? sent / publishSeconds : 0;
    }

    /** What went wrong in a completed run; empty when nothing did. */
    public List<String> failures() {
        List<String> f = new ArrayList<>();
        if (options.messages() > 0 && sent < options.messages()) {
            f.add("only " + sent + " of " + options.messages() + " lines published");
        }
        if (lost > 0) {
            f.add(lost + " lines lost");
        }
        if (duplicates > 0) {
            f.add(duplicates + " duplicate lines");
        }
        if (closedByServer > 0) {
            f.add(closedByServer + " connections closed by the server");
        }
        if (ticks != null && ticks.clientsMissing() > 0) {
            f.add(ticks.clientsMissing() + " clients missed ticks");
        }
        if (ticks != null && ticks.duplicateIds() > 0) {
            f.add(ticks.duplicateIds() + " duplicate ID values");
        }
        return f;
    }

    /**
     * 0 all fine, 1 loss/closed connections/missed ticks or cannot connect, 3 setup failed, 4 timeout (see
     * {@code docs/load.md}).
     */
    public int exitCode() {
        return switch (outcome) {
            case CANNOT_CONNECT -> EXIT_CANNOT_CONNECT;
            case SETUP_FAILED -> EXIT_SETUP_FAILED;
            case TIMEOUT -> EXIT_TIMEOUT;
            case COMPLETED -> failures().isEmpty() ? EXIT_OK : EXIT_LOSS;
        };
    }

    /** One word for the verdict: {@code ok}, {@code loss}, {@code cannot-connect}, {@code setup-failed}, {@code timeout}. */
    public String result() {
        return switch (outcome) {
            case COMPLETED -> failures().isEmpty() ? "ok" : "loss";
            case CANNOT_CONNECT -> "cannot-connect";
            case SETUP_FAILED -> "setup-failed";
            case TIMEOUT -> "timeout";
        };
    }

    private String workload() {
        LoadOptions o = options;
        String what = o.messages() > 0 ? o.messages() + " messages" : "for " + Units.format(o.duration());
        if (o.publishers() == 0) {
            return "no publishing, hold " + Units.format(o.duration());
        }
        String pace = !o.flatOut() ? fmt("%.0f msgs/s", o.rate())
                : o.window() > 0 ? "flat out, window " + o.window() : "flat out, no window";
        return what + ", " + pace + ", payload "
                + o.payloadBytes() + " bytes";
    }

    /** The summary as aligned {@code key  value} lines, ending with a newline. */
    public String toText() {
        LoadOptions o = options;
        StringBuilder b = new StringBuilder();
        line(b, "target", fmt("%s:%d (%s, %d I/O threads)", o.host(), o.port(), o.transport().name(), o.ioThreads()));
        int total = o.clients() + o.publishers();
        line(b, "clients", measured
                ? fmt("%d subscribers + %d publishers, %d ready in %.2f s, settled in %.2f s", o.clients(),
                        o.publishers(), ready, setupSeconds, settleSeconds)
                : fmt("%d subscribers + %d publishers, %d of %d ready", o.clients(), o.publishers(), ready, total));
        line(b, "workload", workload());
        if (measured && o.publishers() > 0) {
            line(b, "published", fmt("%d in %.3f s = %.0f msgs/s", sent, publishSeconds, publishedPerSecond()));
            line(b, "delivered", fmt("%d in %.3f s = %.0f msgs/s", received - duplicates, deliverySeconds,
                    deliveredPerSecond()));
            line(b, "expected", fmt("%d, received %d, lost %d, dups %d, gaps %d", expected, received, lost, duplicates,
                    gaps));
            line(b, "latency us", fmt("p50 %d, p90 %d, p99 %d, p99.9 %d, max %d (%d samples)", latency.p50(),
                    latency.p90(), latency.p99(), latency.p999(), latency.max(), latency.count()));
        }
        if (ticks != null) {
            line(b, "ticks", fmt("%d received, %d expected, %d clients missed ticks, %d duplicate IDs",
                    ticks.received(), ticks.expected(), ticks.clientsMissing(), ticks.duplicateIds()));
            Delay all = ticks.delay();
            Delay hold = ticks.holdDelay();
            line(b, "tick delay ms", fmt("p50 %.1f, p99 %.1f, max %.1f (all %d ticks, interval %d ms)", all.p50Ms(),
                    all.p99Ms(), all.maxMs(), all.count(), ticks.intervalMs()));
            line(b, "  in the hold", fmt("p50 %.1f, p99 %.1f, max %.1f (%d ticks after the setup)", hold.p50Ms(),
                    hold.p99Ms(), hold.maxMs(), hold.count()));
        }
        line(b, "server errors", serverErrors + (lastServerError != null ? ", last: " + lastServerError : ""));
        line(b, "closed", closedByServer + " by the server");
        closedLastLines.forEach((last, n) -> line(b, "", fmt("%d x %s", n, last)));
        String verdict = switch (outcome) {
            case COMPLETED -> failures().isEmpty() ? "ok" : "loss: " + String.join(", ", failures());
            case CANNOT_CONNECT -> problem;
            case SETUP_FAILED -> "setup failed: " + problem;
            case TIMEOUT -> "timeout: " + problem;
        };
        line(b, "result", verdict + " (exit " + exitCode() + ")");
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-14s %s%n", key, value));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The summary as one JSON object on one line (no trailing newline). */
    public String toJson() {
        LoadOptions o = options;
        Json j = new Json();
        j.field("host", o.host()).field("port", o.port()).field("transport", o.transport().name())
                .field("ioThreads", o.ioThreads()).field("clients", o.clients()).field("publishers", o.publishers())
                .field("messages", o.messages()).field("durationSeconds", o.duration().toMillis() / 1000.0)
                .field("rate", o.rate()).field("window", o.window()).field("payloadBytes", o.payloadBytes())
                .field("ready", ready).field("measured", measured).field("setupSeconds", setupSeconds).field("settleSeconds", settleSeconds)
                .field("sent", sent).field("publishSeconds", publishSeconds).field("publishMsgsPerSec", publishedPerSecond())
                .field("expected", expected).field("received", received).field("lost", lost)
                .field("dups", duplicates).field("gaps", gaps).field("deliverySeconds", deliverySeconds)
                .field("deliveredMsgsPerSec", deliveredPerSecond());
        j.object("latencyUs").field("count", latency.count()).field("p50", latency.p50()).field("p90", latency.p90())
                .field("p99", latency.p99()).field("p999", latency.p999()).field("max", latency.max()).end();
        if (ticks != null) {
            j.object("ticks").field("intervalMs", ticks.intervalMs()).field("received", ticks.received())
                    .field("expected", ticks.expected()).field("clientsMissing", ticks.clientsMissing())
                    .field("duplicateIds", ticks.duplicateIds());
            delay(j, "delayMs", ticks.delay());
            delay(j, "holdDelayMs", ticks.holdDelay());
            j.end();
        }
        j.field("serverErrors", serverErrors).field("lastServerError", lastServerError)
                .field("closedByServer", closedByServer);
        j.object("closedLastLines");
        closedLastLines.forEach(j::field);
        j.end();
        j.field("result", result()).field("problem", problem).field("exitCode", exitCode());
        return j.close();
    }

    private static void delay(Json j, String key, Delay d) {
        j.object(key).field("count", d.count()).field("p50", d.p50Ms()).field("p99", d.p99Ms()).field("max", d.maxMs()).end();
    }

    /** A minimal JSON object writer: strings, numbers, booleans, null, nested objects. */
    private static final class Json {
        private final StringBuilder b = new StringBuilder("{");
        private boolean first = true;

        Json field(String key, Object value) {
            key(key);
            if (value == null) {
                b.append("null");
            } else if (value instanceof Double d) {
                b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
            } else if (value instanceof Number || value instanceof Boolean) {
                b.append(value);
            } else {
                string(value.toString());
            }
            return this;
        }

        Json object(String key) {
            key(key);
            b.append('{');
            first = true;
            return this;
        }

        Json end() {
            b.append('}');
            first = false;
            return this;
        }

        String close() {
            return b.append('}').toString();
        }

        private void key(String key) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(key);
            b.append(':');
        }

        private void string(String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
