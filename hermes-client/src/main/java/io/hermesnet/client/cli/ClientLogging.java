package io.hermesnet.client.cli;

import io.hermesnet.internal.logging.LogFormat;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --log-file} and {@code --log-format}: sends the client's log lines (loggers under {@code io.hermesnet.client}, INFO and
 * up, and Netty's warnings) to a file in the docs/protocol.md §3.10 format with {@code [client]}, e.g.
 * {@code 2025-01-15 10:30:45.124 [INFO] [client] [STATE] Connected to 127.0.0.1:9000 from 127.0.0.1:50312},
 * or as JSON lines.
 * Never to the console: the app's {@code log4j2.xml} turns logging off, and this adds only a file
 * appender. {@link #close} takes the appender out again.
 */
final class ClientLogging implements AutoCloseable {
    /**
     * The docs/protocol.md §3.10 line, with {@code [client]}; {@code [CATEGORY]} is the log4j Marker. The message
     * is written escaped ({@code %esc}, {@link io.hermesnet.internal.logging.EscapingConverter}): the lines a server sent
     * and those typed by the user are logged in it, and none may forge a log line or carry a terminal escape.
     */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} [%level] [client] [%markerSimpleName] %esc{%msg}%n";
    /**
     * {@code --log-format json}: log4j's JSON Template Layout, one object per line with time, level, app
     * ({@code client}), category and message (escaped as in {@link #PATTERN}).
     */
    static final String JSON_TEMPLATE = "classpath:hermes-client-log.json";
    private static final String APPENDER = "hermes-client-log-file";
    private static final String[] LOGGERS = {"io.hermesnet.client", "io.netty"};
    private static final Level[] LEVELS = {Level.INFO, Level.WARN};

    private final LoggerContext context;
    private final FileAppender appender;

    private ClientLogging(LoggerContext context, FileAppender appender) {
        this.context = context;
        this.appender = appender;
    }

    /**
     * Starts logging to {@code file} (appending; created if missing) in {@code format}.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    static ClientLogging toFile(Path file, LogFormat format) throws IOException {
        // Fail here with the real reason, instead of in log4j, which would print its own error to the console.
        try (OutputStream probe = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            probe.flush();
        }
        LoggerContext context = LoggerContext.getContext(false);
        Configuration config = context.getConfiguration();
        Layout<String> layout = format == LogFormat.JSON
                ? JsonTemplateLayout.newBuilder().setConfiguration(config).setEventTemplateUri(JSON_TEMPLATE).build()
                : PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(config).build();
        FileAppender appender = FileAppender.newBuilder()
                .withFileName(file.toString())
                .withAppend(true)
                .setName(APPENDER)
                .setLayout(layout)
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        for (int i = 0; i < LOGGERS.length; i++) {
            LoggerConfig logger = LoggerConfig.newBuilder()
                    .withLoggerName(LOGGERS[i])
                    .withLevel(LEVELS[i])
                    .withAdditivity(false)
                    .withConfig(config)
                    .build();
            logger.addAppender(appender, null, null);
            config.addLogger(LOGGERS[i], logger);
        }
        context.updateLoggers();
        return new ClientLogging(context, appender);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (String name : LOGGERS) {
            config.removeLogger(name);
        }
        context.updateLoggers();
        if (config instanceof AbstractConfiguration abstractConfig) {
            abstractConfig.removeAppender(APPENDER);
        }
        appender.stop();
    }
}
