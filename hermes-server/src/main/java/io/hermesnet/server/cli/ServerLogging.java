package io.hermesnet.server.cli;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.LogGate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.MarkerFilter;
import org.apache.logging.log4j.core.jmx.RingBufferAdmin;

/**
 * The run-time logging switches of {@code hermes-server} (docs/protocol.md §3.10), applied to the log4j-core
 * configuration loaded from {@code log4j2.xml}: the layout of {@code --log-format}, the root level of
 * {@code --log-level} and the {@code --quiet} filter, and the {@link LogGate} that reads the asynchronous queue. Call from the
 * main thread before the server starts.
 */
final class ServerLogging {
    private ServerLogging() {
    }

    /**
     * The gate of the per-message log lines for the running log4j configuration: with async loggers
     * (the default, log4j2.component.properties) it reads the free slots of their ring buffer, with an
     * {@code <Async>} appender those of its queue; a quarter of the queue is kept for STATE and EXEC
     * lines, and at most {@link #PER_MESSAGE_LINES_PER_SECOND} per-message lines a second are written (the
     * rest are dropped and counted). A synchronous configuration (an operator's own log4j2.xml) has no
     * queue: every line passes, at the price of the event loops' time.
     */
    /**
     * The budget of RX, TX and BROADCAST lines: 10,000 a second, 5,000 chat lines with their BROADCAST line,
     * about 1.5 % of a core for log4j to build and write; beyond it a chat server is flooded and the lines are
     * counted, not written (docs/server.md "Logging").
     */
    static final long PER_MESSAGE_LINES_PER_SECOND = 10_000;

    private static final long PER_REFILL = PER_MESSAGE_LINES_PER_SECOND * LogGate.REFILL_INTERVAL_MS / 1000;

    static LogGate gate() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        if (context instanceof AsyncLoggerContext async) {
            RingBufferAdmin ring = async.createRingBufferAdmin();
            return new LogGate(ring::getRemainingCapacity, ring.getBufferSize() / 4, PER_REFILL);
        }
        for (Appender a : context.getConfiguration().getAppenders().values()) {
            if (a instanceof AsyncAppender queue) {
                return new LogGate(queue::getQueueRemainingCapacity, queue.getQueueCapacity() / 4, PER_REFILL);
            }
        }
        return LogGate.unbounded();
    }

    /**
     * The system property the application's {@code log4j2.xml} selects its layout by (a
     * {@code SystemPropertyArbiter}): {@code json} for log4j's JSON Template Layout, anything else or unset
     * for the text line.
     */
    static final String FORMAT_PROPERTY = "hermes.logFormat";

    /**
     * Switches the running configuration to JSON lines ({@code --log-format json}): the configuration file is
     * read again with {@link #FORMAT_PROPERTY} set to {@code json}, so its arbiter picks the JSON layout.
     * The property is put back as it was afterwards (it is read only while the configuration is built). The logger
     * context and its asynchronous ring stay; the console appender's output stream is shared by the old
     * and the new configuration, so nothing logged is lost. Call before {@link #rootLevel} and
     * {@link #quiet}, which change the configuration this makes. A configuration of the operator's own
     * without that arbiter keeps its layout.
     */
    static void json() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        String before = System.setProperty(FORMAT_PROPERTY, "json");
        try {
            context.reconfigure();
        } finally {
            if (before == null) {
                System.clearProperty(FORMAT_PROPERTY);
            } else {
                System.setProperty(FORMAT_PROPERTY, before);
            }
        }
    }

    /** Sets the level of the root logger, which every HermesNet and Netty logger inherits. */
    static void rootLevel(Level level) {
        Configurator.setRootLevel(level);
    }

    /**
     * Drops every event marked RX, TX or BROADCAST, whichever handler logs it, keeping STATE, EXEC and
     * unmarked lines. {@code HermesConfig.quiet()} already leaves the wire log handler out of the
     * pipeline; this filter makes the promise hold for every other handler too.
     */
    static void quiet() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        for (Marker m : new Marker[] {HermesMarkers.RX, HermesMarkers.TX, HermesMarkers.BROADCAST}) {
            MarkerFilter filter = MarkerFilter.createFilter(m.getName(), Filter.Result.DENY, Filter.Result.NEUTRAL);
            filter.start();
            config.addFilter(filter);
        }
        context.updateLoggers();
    }

    /**
     * Drops every log line written by a thread of {@code group} (and its subgroups) or one of {@code also},
     * until the returned action is run (the filter then stays, passing everything): for {@link WarmUp}, whose private server must not show in the log. The filter sits on
     * every logger configuration only while it is needed, and it decides where the event is written (log4j's
     * background thread, by the id of the thread that logged it), not in the log call: the warm-up's log
     * calls then run the way the server's will (level check true, {@link LogGate}, message, ring buffer), so
     * the code the JIT compiles for them stays right for the server. A filter in the log call made the first
     * real log line throw that compiled code away (JFR: {@code unstable_if} deoptimizations in the wire log
     * handler and the fan-out) and left the logging path to compile during the first flood.
     */
    static Runnable silence(ThreadGroup group, Collection<Thread> also) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        ThreadGroupFilter filter = new ThreadGroupFilter(group, also);
        filter.start();
        Set<LoggerConfig> filtered = Collections.newSetFromMap(new IdentityHashMap<>());
        filtered.add(config.getRootLogger());
        filtered.addAll(config.getLoggers().values());
        filtered.forEach(c -> c.addFilter(filter));
        return () -> {
            filter.awaitWritten();
            // disarmed, not removed: a logger configuration that loses its filter takes another branch on
            // log4j's thread, and the JIT threw that thread's compiled code away during the first flood
            filter.disarm();
        };
    }

    /**
     * DENY for events logged by a thread of one group, NEUTRAL for the rest. Asked with the event, on the
     * thread that writes it: the group's thread ids are looked up again when an id is not known yet (a
     * thread that logs is alive then: the background thread takes its events within milliseconds). Ids
     * once seen stay, so that the last lines of a thread that has ended are still dropped.
     */
    private static final class ThreadGroupFilter extends AbstractFilter {
        /** Logged last by a thread of the group: once it reaches the filter, so has everything before it. */
        private static final Marker END = MarkerManager.getMarker("HERMES_SILENCED_END");
        private static final long END_WAIT_MS = 2_000;

        private final ThreadGroup group;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile Set<Long> ids;
        private volatile boolean armed = true;

        ThreadGroupFilter(ThreadGroup group, Collection<Thread> also) {
            super(Result.DENY, Result.NEUTRAL);
            this.group = group;
            Set<Long> known = new HashSet<>();
            also.forEach(t -> known.add(t.getId()));
            this.ids = known;
        }

        void disarm() {
            armed = false;
        }

        @Override
        public Result filter(LogEvent event) {
            if (!armed) {
                return onMismatch;
            }
            if (event.getMarker() == END) {
                ended.countDown();
                return onMatch;
            }
            long id = event.getThreadId();
            if (!ids.contains(id)) {
                Set<Long> more = new HashSet<>(ids);
                more.addAll(groupThreadIds());
                ids = more;
            }
            return ids.contains(id) ? onMatch : onMismatch;
        }

        /**
         * Waits (on the calling thread, a thread of the group) until every event logged before has passed
         * the filter; at most {@link #END_WAIT_MS} ms. Nothing to wait for when even FATAL is off.
         */
        void awaitWritten() {
            org.apache.logging.log4j.Logger log = LogManager.getLogger(ServerLogging.class);
            if (!log.isFatalEnabled(END)) {
                return;
            }
            log.fatal(END, "end of silenced lines");
            try {
                ended.await(END_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Set<Long> groupThreadIds() {
            Thread[] threads = new Thread[group.activeCount() + 16];
            int n = group.enumerate(threads, true);
            Set<Long> found = new HashSet<>();
            for (int i = 0; i < n; i++) {
                found.add(threads[i].getId());
            }
            return found;
        }
    }
}
