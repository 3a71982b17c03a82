package io.hermesnet.server.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ServerLogging#silence}, which keeps the warm-up out of the log (docs/server.md "Warm-up"), with the log4j
 * appenders an operator may have: a file appender (its stream can be swapped for one to {@code /dev/null}) and an
 * appender over a stream of another class (the warm-up's lines are dropped there). Either way the silenced group's
 * lines are not in the log, every other thread's line logged meanwhile is, in its place, and once the silence has
 * ended the group's lines are written again. (The tests' logging is synchronous; hermes-server's asynchronous
 * logging is covered by WarmUpProcessTest.)
 */
class ServerLoggingSilenceTest {
    private static final Logger log = LogManager.getLogger(ServerLoggingSilenceTest.class);

    private final List<Appender> added = new ArrayList<>();
    private final Map<String, Appender> setAside = new LinkedHashMap<>();

    @AfterEach
    void removeAppenders() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        setAside.values().forEach(a -> config.getRootLogger().addAppender(a, null, null));
        for (Appender a : added) {
            config.getRootLogger().removeAppender(a.getName());
            ((AbstractConfiguration) config).removeAppender(a.getName());
            a.stop();
        }
        context.updateLoggers();
    }

    private void add(Appender a) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        a.start();
        added.add(a);
        // as a log4j2.xml's appender: in the configuration and referenced by the root logger
        context.getConfiguration().addAppender(a);
        context.getConfiguration().getRootLogger().addAppender(a, Level.WARN, null);
        context.updateLoggers();
    }

    /** Takes the tests' own appenders off the root logger until the test ends: only the test's appender is silenced. */
    private void aloneOnTheRootLogger() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        setAside.putAll(context.getConfiguration().getRootLogger().getAppenders());
        setAside.keySet().forEach(context.getConfiguration().getRootLogger()::removeAppender);
        context.updateLoggers();
    }

    private static PatternLayout messageOnly() {
        return PatternLayout.newBuilder().withPattern("%msg%n").build();
    }

    /** Logs {@code lines} on a new thread of {@code group} and waits for it. */
    private static void logIn(ThreadGroup group, String... lines) throws InterruptedException {
        Thread t = new Thread(group, () -> Arrays.stream(lines).forEach(log::warn), "silenced");
        t.start();
        t.join();
    }

    @Test
    void aFileAppenderWritesTheOtherThreadsLinesInTheirPlaceAndTheGroupsOnlyAfterTheSilence(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("server.log");
        aloneOnTheRootLogger();
        add(FileAppender.newBuilder().setName("silence-test-file").withFileName(file.toString())
                .setLayout(messageOnly()).build());
        ThreadGroup group = new ThreadGroup("silence-test");

        log.warn("before");
        ServerLogging.Silence silence = ServerLogging.silence(group, List.of());
        logIn(group, "warm-up line 1", "warm-up line 2");
        log.warn("the server's own line meanwhile");
        logIn(group, "warm-up line 3");
        long written = silence.linesWritten();
        silence.end();
        logIn(group, "after");

        assertEquals(List.of("before", "the server's own line meanwhile", "after"), Files.readAllLines(file));
        assertEquals(3, written, "the group's lines went the whole way, into /dev/null");
    }

    @Test
    void anAppenderOverAnotherStreamDropsTheGroupsLinesUntilTheSilenceEnds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        add(OutputStreamAppender.newBuilder().setName("silence-test-stream").setTarget(out)
                .setLayout(messageOnly()).build());
        ThreadGroup group = new ThreadGroup("silence-test");

        ServerLogging.Silence silence = ServerLogging.silence(group, List.of());
        logIn(group, "warm-up line");
        log.warn("the server's own line meanwhile");
        silence.end();
        logIn(group, "after");

        assertEquals(List.of("the server's own line meanwhile", "after"),
                List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    }
}
