package io.hermesnet.handler;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures what one class's logger logs at {@code level} and above, instead of printing it, while
 * open. Changes the global log4j configuration: tests using it must not run in parallel with others
 * (surefire runs this module's classes one after the other).
 */
final class LogCapture implements AutoCloseable {
    /**
     * One captured log event; {@code written} is its message as the apps' layouts write it ({@code %esc{%msg}},
     * control characters escaped); {@code thrown} is the attached exception (whose stack trace would be printed), or null.
     */
    record Line(Level level, String marker, String message, String written, Throwable thrown) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String loggerName;
    private final AbstractAppender appender;
    private final PatternLayout layout;

    LogCapture(Class<?> loggingClass, Level level) {
        loggerName = loggingClass.getName();
        layout = PatternLayout.newBuilder().withPattern("%esc{%msg}").withConfiguration(context.getConfiguration()).build();
        appender = new AbstractAppender("logCapture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                lines.add(new Line(e.getLevel(), e.getMarker() == null ? "-" : e.getMarker().getName(),
                        e.getMessage().getFormattedMessage(), layout.toSerializable(e), e.getThrown()));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = LoggerConfig.newBuilder()
                .withLoggerName(loggerName)
                .withLevel(level)
                .withAdditivity(false)
                .withRefs(new AppenderRef[0])
                .withConfig(config)
                .build();
        logger.addAppender(appender, level, null);
        config.addLogger(loggerName, logger);
        context.updateLoggers();
    }

    /** Every event captured so far at exactly {@code level}. */
    List<Line> at(Level level) {
        return lines.stream().filter(l -> l.level() == level).toList();
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        appender.stop();
    }
}
