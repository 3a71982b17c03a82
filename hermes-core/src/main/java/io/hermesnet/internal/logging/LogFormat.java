package io.hermesnet.internal.logging;

import java.util.Locale;

/**
 * The {@code --log-format} of {@code hermes-server} and {@code hermes-client} (docs/protocol.md §3.10): how each
 * log event is written.
 */
public enum LogFormat {
    /** {@code yyyy-MM-dd HH:mm:ss.SSS [LEVEL] [server] [CATEGORY] message}, one line per event. */
    TEXT,
    /** One JSON object per line: time, level, app, category, message, and the client of a line about one. */
    JSON;

    /**
     * The format named {@code text} or {@code json}, in any case.
     *
     * @throws IllegalArgumentException for any other name, with a message for the user
     */
    public static LogFormat parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("'" + text + "' is not a log format: use text or json");
        };
    }
}
