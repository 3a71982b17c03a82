package io.hermesnet.spec;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Captures what the {@code io.hermesnet} loggers log at {@code level} and above, instead of printing it,
 * while open. Changes the global log4j configuration: tests using it must not run in parallel with
 * others (surefire runs the classes of this module one after the other).
 */
final class LogCapture implements AutoCloseable {
    private static final String LOGGER = "io.hermesnet";

    /** One captured log line. */
    record Line(Level level, String marker, String logger, String message) {
        @Override
        public String toString() {
            return "[" + level + "] [" + marker + "] " + message;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender;

    LogCapture(Level level) {
        appender = new AbstractAppender("logCapture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                lines.add(new Line(e.getLevel(), e.getMarker() == null ? "-" : e.getMarker().getName(),
                        e.getLoggerName(), e.getMessage().getFormattedMessage()));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = LoggerConfig.newBuilder()
                .withLoggerName(LOGGER)
                .withLevel(level)
                .withAdditivity(false)
                .withRefs(new AppenderRef[0])
                .withConfig(config)
                .build();
        logger.addAppender(appender, level, null);
        config.addLogger(LOGGER, logger);
        context.updateLoggers();
    }

    /** The lines captured so far under {@code marker}. */
    List<Line> withMarker(String marker) {
        return lines.stream().filter(l -> l.marker().equals(marker)).collect(Collectors.toList());
    }

    /** The messages captured so far under {@code marker}. */
    List<String> messages(String marker) {
        return withMarker(marker).stream().map(Line::message).collect(Collectors.toList());
    }

    /** Every line captured so far. */
    List<Line> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        appender.stop();
    }
}
