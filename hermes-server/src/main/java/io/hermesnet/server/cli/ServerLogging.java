package io.hermesnet.server.cli;

import java.io.Closeable;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.LogGate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.appender.OutputStreamManager;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.Filterable;
import org.apache.logging.log4j.core.filter.MarkerFilter;
import org.apache.logging.log4j.core.jmx.RingBufferAdmin;
import org.apache.logging.log4j.core.util.CloseShieldOutputStream;

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

    static LogGate gate() {
        return gate(PER_MESSAGE_LINES_PER_SECOND);
    }

    /** {@link #gate()} with a budget of {@code linesPerSecond} (at least 10). */
    static LogGate gate(long linesPerSecond) {
        long perRefill = linesPerSecond * LogGate.REFILL_INTERVAL_MS / 1000;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        if (context instanceof AsyncLoggerContext async) {
            RingBufferAdmin ring = async.createRingBufferAdmin();
            return new LogGate(ring::getRemainingCapacity, ring.getBufferSize() / 4, perRefill);
        }
        for (Appender a : context.getConfiguration().getAppenders().values()) {
            if (a instanceof AsyncAppender queue) {
                return new LogGate(queue::getQueueRemainingCapacity, queue.getQueueCapacity() / 4, perRefill);
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
     * Keeps every log line written by a thread of {@code group} (and its subgroups) or one of {@code also} out of
     * the log until {@link Silence#end()}: for {@link WarmUp}, whose private server must not show in the log.
     *
     * <p>Those lines are not dropped early but written the whole way, by log4j's background thread, through the
     * appender, its layout, encoder and buffer, into a stream of the same classes as the appender's own that
     * goes to {@code /dev/null}: the appender's stream is swapped for that one meanwhile. So log4j's path is
     * compiled, for exactly the types the server's lines will meet, before the first client comes. Dropped at the
     * logger configuration, as before, that path was compiled during the first flood (C2 took 75–165 ms of each
     * of the first 300 ms floods); written through a second appender, the first real line met an appender
     * type the compiled code had not seen and C2 compiled it all again (docs/performance.md "The log path,
     * warmed"). Any other thread's line meanwhile (a signal's, say) is written straight to the real stream, in
     * its place. An appender whose stream cannot be swapped (an operator's own configuration: not log4j's
     * console or file stream) drops the group's lines instead.
     *
     * <p>The log calls themselves run the way the server's will (level check true, {@link LogGate}, message, ring
     * buffer): a filter in the log call made the first real log line throw that compiled code away (JFR:
     * {@code unstable_if} deoptimizations in the wire log handler and the fan-out).
     *
     * @return the silence, to be {@linkplain Silence#end() ended} once the group has stopped logging
     */
    static Silence silence(ThreadGroup group, Collection<Thread> also) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Silence silence = new Silence(context);
        GroupThreads threads = new GroupThreads(group, also);
        List<Muted> toMute = new ArrayList<>();
        for (Appender a : silence.config.getAppenders().values()) {
            if (!(a instanceof Filterable f)) {
                continue;
            }
            Muted muted = a instanceof AbstractOutputStreamAppender<?> out && a.getLayout() != null
                    ? Muted.of(out.getManager()) : null;
            // each filter is removed at the end, not disarmed: a filter's new branch throws compiled code away
            if (muted == null) {
                AbstractFilter turnAway = new TurnAway(threads);
                turnAway.start();
                f.addFilter(turnAway);
                silence.undo.add(() -> f.removeFilter(turnAway));
            } else {
                AbstractFilter divert = new Divert(threads, a.getLayout(), muted, silence.written);
                divert.start();
                f.addFilter(divert);
                toMute.add(muted);
                silence.undo.add(() -> {
                    muted.unmute();
                    f.removeFilter(divert);
                    muted.close();
                });
            }
        }
        // Muted only once every filter is in place and what log4j was writing meanwhile is written: a line that
        // passed an appender's filter just before it was added, written after the swap, went to /dev/null (seen
        // once: the "Listening on" line before the warm-up). A synchronous configuration has no queue to wait
        // for: there a line logged by another thread at that very moment can still be lost.
        awaitDrained(context, silence.config);
        toMute.forEach(Muted::mute);
        silence.writesThrough = !toMute.isEmpty();
        return silence;
    }

    /** What {@link #silence} returns: how far it has got, and its end. */
    static final class Silence {
        private final LoggerContext context;
        private final Configuration config;
        private final AtomicLong written = new AtomicLong();
        private final List<Runnable> undo = new ArrayList<>();
        private boolean writesThrough; // set while silence() builds it, read after

        private Silence(LoggerContext context) {
            this.context = context;
            this.config = context.getConfiguration();
        }

        /**
         * Whether the group's lines go the whole way through at least one appender (its stream muted); false
         * when every appender drops them, and then {@link #linesWritten()} stays 0.
         */
        boolean writesThrough() {
            return writesThrough;
        }

        /** Lines of the group that log4j has written into the muted streams so far. Any thread. */
        long linesWritten() {
            return written.get();
        }

        /**
         * Waits until log4j has written every line logged so far (at most {@link #DRAIN_WAIT_MS} ms), then puts the
         * appenders' streams back: from then on every line is written as any other. Call once, after the group's
         * last line.
         */
        void end() {
            awaitDrained(context, config);
            undo.forEach(Runnable::run);
        }
    }

    /** Longest {@link Silence#end()} waits for log4j's queue to empty, in ms. */
    static final long DRAIN_WAIT_MS = 2_000;

    /**
     * Waits until the asynchronous queue is empty: the background thread hands a batch back only once it has
     * written it. Not a marker line the filters would look for: a branch taken only at the end threw the compiled
     * log path away (LogCompilation: {@code unstable_if}), and so did a message of another class.
     */
    private static void awaitDrained(LoggerContext context, Configuration config) {
        LongSupplier queued = () -> 0;
        if (context instanceof AsyncLoggerContext async) {
            RingBufferAdmin ring = async.createRingBufferAdmin();
            queued = () -> ring.getBufferSize() - ring.getRemainingCapacity();
        } else {
            for (Appender a : config.getAppenders().values()) {
                if (a instanceof AsyncAppender q) {
                    queued = () -> q.getQueueCapacity() - q.getQueueRemainingCapacity();
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_WAIT_MS);
        while (queued.getAsLong() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * An output stream appender's manager whose stream is swapped for one of the same classes that writes to
     * {@code /dev/null}. Reaches log4j-core's protected {@code getOutputStream}/{@code setOutputStream} by
     * reflection (log4j 2.25; the project pins it): where that fails, there is no muting and lines are dropped.
     */
    private static final class Muted {
        private final OutputStreamManager manager;
        private final Method set;
        private final OutputStream real;
        private final OutputStream mute;
        private final Closeable devNull;

        private Muted(OutputStreamManager manager, Method set, OutputStream real, OutputStream mute,
                      Closeable devNull) {
            this.manager = manager;
            this.set = set;
            this.real = real;
            this.mute = mute;
            this.devNull = devNull;
        }

        /** The muting of {@code manager}'s stream, or null when its stream is of no class known here. */
        static Muted of(OutputStreamManager manager) {
            try {
                Method get = OutputStreamManager.class.getDeclaredMethod("getOutputStream");
                Method set = OutputStreamManager.class.getDeclaredMethod("setOutputStream", OutputStream.class);
                get.setAccessible(true);
                set.setAccessible(true);
                OutputStream real = (OutputStream) get.invoke(manager);
                // log4j's direct console stream, and a file appender's
                boolean shielded = real.getClass() == CloseShieldOutputStream.class;
                if (!shielded && real.getClass() != FileOutputStream.class) {
                    return null;
                }
                set.invoke(manager, real); // the swap works before anything depends on it
                FileOutputStream devNull = new FileOutputStream(new File("/dev/null"));
                OutputStream mute = shielded ? new CloseShieldOutputStream(devNull) : devNull;
                return new Muted(manager, set, real, mute, devNull);
            } catch (ReflectiveOperationException | RuntimeException | IOException e) {
                return null;
            }
        }

        void mute() {
            swap(mute);
        }

        void unmute() {
            swap(real);
        }

        private void swap(OutputStream to) {
            synchronized (manager) { // the lock log4j writes and flushes the buffer under
                flushBuffered();
                try {
                    set.invoke(manager, to);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot swap log4j's output stream", e);
                }
            }
        }

        /** Writes {@code line} to the real stream, after what is buffered. Any thread that appends. */
        void writeAround(byte[] line) {
            synchronized (manager) {
                flushBuffered();
                try {
                    real.write(line);
                    real.flush();
                } catch (IOException e) {
                    // as log4j's own write failure of a console line: nothing else to do with it
                }
            }
        }

        /**
         * Writes out what the buffer holds, if anything: a flush of an empty buffer takes a branch log4j's own
         * flushes never take, and the first such flush threw the compiled flush away (LogCompilation).
         */
        private void flushBuffered() {
            if (manager.getByteBuffer().position() > 0) {
                manager.flush();
            }
        }

        void close() {
            try {
                devNull.close();
            } catch (IOException e) {
                // nothing was written that matters
            }
        }
    }

    /** The thread ids of one group, and a few more threads. */
    private static final class GroupThreads {
        private final ThreadGroup group;
        private volatile Set<Long> ids;

        GroupThreads(ThreadGroup group, Collection<Thread> also) {
            this.group = group;
            Set<Long> known = new HashSet<>();
            also.forEach(t -> known.add(t.getId()));
            this.ids = known;
        }

        /**
         * Whether the thread of {@code id} is one of them. The group's ids are looked up again when an id is not
         * known yet (a thread that logs is alive then: the background thread takes its events within
         * milliseconds); ids once seen stay, so that the last lines of a thread that has ended still count.
         */
        boolean contains(long id) {
            if (!ids.contains(id)) {
                Set<Long> more = new HashSet<>(ids);
                Thread[] threads = new Thread[group.activeCount() + 16];
                int n = group.enumerate(threads, true);
                for (int i = 0; i < n; i++) {
                    more.add(threads[i].getId());
                }
                ids = more;
            }
            return ids.contains(id);
        }
    }

    /** An appender's filter: the group's lines go on into the muted stream, the others around it. */
    private static final class Divert extends AbstractFilter {
        private final GroupThreads threads;
        private final Layout<?> layout;
        private final Muted muted;
        private final AtomicLong written;

        Divert(GroupThreads threads, Layout<?> layout, Muted muted, AtomicLong written) {
            this.threads = threads;
            this.layout = layout;
            this.muted = muted;
            this.written = written;
        }

        @Override
        public Result filter(LogEvent event) {
            if (threads.contains(event.getThreadId())) {
                written.incrementAndGet();
                return Result.NEUTRAL;
            }
            muted.writeAround(layout.toByteArray(event));
            return Result.DENY;
        }
    }

    /** An appender's filter for an appender that cannot be muted: the group's lines are dropped. */
    private static final class TurnAway extends AbstractFilter {
        private final GroupThreads threads;

        TurnAway(GroupThreads threads) {
            this.threads = threads;
        }

        @Override
        public Result filter(LogEvent event) {
            return threads.contains(event.getThreadId()) ? Result.DENY : Result.NEUTRAL;
        }
    }
}
