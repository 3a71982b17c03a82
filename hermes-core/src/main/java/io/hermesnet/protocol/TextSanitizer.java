package io.hermesnet.protocol;

/**
 * Removes the characters that could drive another person's terminal (docs/protocol.md §3.4): the C0 controls
 * except TAB, DEL, and the C1 controls U+0080–U+009F. Characters are removed one by one, not whole
 * escape sequences, so {@code ESC[2J} becomes {@code [2J}.
 */
public final class TextSanitizer {
    private TextSanitizer() {
    }

    /** Whether {@code c} is removed by {@link #sanitize}. */
    public static boolean isRemoved(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f;
    }

    /** {@code text} without the removed characters; the same instance when there is nothing to remove. */
    public static String sanitize(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !isRemoved(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n - 1).append(text, 0, i);
        for (i++; i < n; i++) {
            char c = text.charAt(i);
            if (!isRemoved(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
