package io.hermesnet.server.cli;

/** The {@code --log-format} of {@code hermes-server} (docs/protocol.md §3.10): how each log event is written. */
public enum LogFormat {
    /** {@code yyyy-MM-dd HH:mm:ss.SSS [LEVEL] [server] [CATEGORY] message}, one line per event. */
    TEXT,
    /** One JSON object per line: time, level, app, category, message, and the client of a line about one. */
    JSON
}
