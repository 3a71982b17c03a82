package io.hermesnet.handler;

/**
 * Client text made safe for a log line (docs/protocol.md "Logging"): CR, LF, TAB and every other C0
 * control, DEL and the C1 controls are written as escapes ({@code \r}, {@code \n}, {@code \t},
 * {@code \x1b}, {@code \x7f}, {@code \x85}), the Unicode line and paragraph separators as
 * Java-style Unicode escapes (U+2028 as backslash, u, 2028), and a backslash as {@code \\}, so no client can forge a log line,
 * drive the operator's terminal, or make an escape look like one it did not send.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** {@code text} with controls and backslashes escaped; {@code text} itself when it has none. */
    public static String escape(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder b = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
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
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '\\' || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029';
    }
}
