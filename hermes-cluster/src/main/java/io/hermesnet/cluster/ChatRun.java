package io.hermesnet.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lines} field of a chat stream entry (docs/cluster.md "Streams"): a run of one node's chat
 * lines as one string, so Redis and Lettuce handle one value per entry instead of three per line — their
 * cost is per value, not per byte (docs/performance.md "Cluster"). Each line is
 * {@code <after> SP <client id> SP <text length> SP <text> LF}, where {@code after} is {@code =} when it
 * is the previous line's, and the length counts the text's UTF-16 chars (both ends are Java; the text
 * is sanitized chat, so it holds no lone surrogates). The LF keeps {@code redis-cli} output readable and
 * is checked on decode. Stateless.
 */
final class ChatRun {
    /** One line of a run: where its node stood in the log, its sender and its text. */
    record Line(String after, long clientId, String text) {
    }

    private static final String SAME = "=";

    private ChatRun() {
    }

    /** The run of {@code lines}, in order. */
    static String encode(List<Line> lines) {
        int size = 0;
        for (Line l : lines) {
            size += l.text().length() + 32;
        }
        StringBuilder out = new StringBuilder(size);
        String previous = null;
        for (Line l : lines) {
            out.append(l.after().equals(previous) ? SAME : l.after()).append(' ')
                    .append(l.clientId()).append(' ')
                    .append(l.text().length()).append(' ')
                    .append(l.text()).append('\n');
            previous = l.after();
        }
        return out.toString();
    }

    /**
     * The lines of {@code run}, in order.
     *
     * @throws IllegalArgumentException when {@code run} is not a run of lines as {@link #encode} writes them
     *                                  (nothing is returned for a run that is only partly readable)
     */
    static List<Line> decode(String run) {
        List<Line> out = new ArrayList<>();
        String previous = null;
        int i = 0;
        while (i < run.length()) {
            int s1 = space(run, i);
            int s2 = space(run, s1 + 1);
            int s3 = space(run, s2 + 1);
            String after = run.substring(i, s1);
            if (after.equals(SAME)) {
                if (previous == null) {
                    throw new IllegalArgumentException("the first line of a run has no after");
                }
                after = previous;
            } else if (!isStreamId(after)) {
                throw new IllegalArgumentException("not a stream entry id in a run, at " + i);
            }
            long clientId = number(run, s1 + 1, s2);
            long length = number(run, s2 + 1, s3);
            if (length < 0) {
                throw new IllegalArgumentException("a negative length in a run, at " + i);
            }
            long end = s3 + 1 + length;
            if (end >= run.length() || run.charAt((int) end) != '\n') {
                throw new IllegalArgumentException("a line of a run does not end where its length says, at " + i);
            }
            out.add(new Line(after, clientId, run.substring(s3 + 1, (int) end)));
            previous = after;
            i = (int) end + 1;
        }
        return out;
    }

    /** {@code <ms>-<seq>}, both decimal. */
    private static boolean isStreamId(String s) {
        int dash = s.indexOf('-');
        if (dash <= 0 || dash == s.length() - 1 || dash > 18 || s.length() - dash - 1 > 18) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (k != dash && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int space(String run, int from) {
        int at = run.indexOf(' ', from);
        if (at < 0) {
            throw new IllegalArgumentException("a line of a run is cut short, at " + from);
        }
        return at;
    }

    private static long number(String run, int from, int to) {
        try {
            return Long.parseLong(run, from, to, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in a run, at " + from, e);
        }
    }
}
