package io.hermesnet.limits;

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

/**
 * Collects Netty's {@code LEAK:} reports (ERROR lines of {@code io.netty.util.ResourceLeakDetector})
 * while open, so a test can assert there were none; the lines are still printed too, for the build's
 * leak gate. Netty reports a leak only after the collector found the buffer: call
 * {@link io.hermesnet.testkit.LeakDetection#flush()} before {@link #lines()}. Changes the global log4j configuration, so
 * tests using it must not run in parallel with others (surefire runs this module's classes one after
 * the other).
 */
final class LeakReports implements AutoCloseable {
    private static final String LOGGER = "io.netty.util.ResourceLeakDetector";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender;

    LeakReports() {
        appender = new AbstractAppender("leakReports", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                String message = e.getMessage().getFormattedMessage();
                if (message.contains("LEAK:")) {
                    lines.add(message);
                }
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = LoggerConfig.newBuilder()
                .withLoggerName(LOGGER)
                .withLevel(Level.ERROR)
                .withAdditivity(true) // still printed by the root logger's console appender
                .withRefs(new AppenderRef[0])
                .withConfig(config)
                .build();
        logger.addAppender(appender, Level.ERROR, null);
        config.addLogger(LOGGER, logger);
        context.updateLoggers();
    }

    /** The {@code LEAK:} reports logged since this was opened. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        appender.stop();
    }
}
