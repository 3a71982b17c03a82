package io.hermesnet.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a stream that is not a HermesNet connection (a child process's standard output, a
 * command's {@code PrintWriter}), read into a queue so that a test can await a line with a timeout
 * instead of sleeping. Every line read is also kept, for assertions over the whole output. For a
 * connection to a server use {@link LineClient}, which also checks the framing.
 *
 * <p>Lines end at LF; a CR before it is dropped; text is UTF-8. One test thread reads a source (its
 * methods are synchronized); a daemon thread, or the writer's caller, fills it. Failures are
 * {@link AssertionError}s listing every line seen.
 */
public final class LineSource {
    private static final String EOF = new String("<eof>");

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>(); // the lines read by the awaits
    private final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>(); // every line, awaited or not
    private final String name;
    private boolean ended;
    private Writer writer; // set by ofWriter

    private LineSource(String name) {
        this.name = name;
    }

    /**
     * Starts reading {@code in} on a daemon thread; each line is also copied to this JVM's standard
     * output with {@code echoPrefix} (so a child's Netty {@code LEAK:} report reaches the build's leak gate),
     * unless the prefix is null.
     */
    public static LineSource start(String name, InputStream in, String echoPrefix) {
        LineSource q = new LineSource(name);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (echoPrefix != null) {
                        System.out.println(echoPrefix + line);
                    }
                    q.received.add(line);
                    q.queue.add(line);
                }
            } catch (IOException e) {
                // the stream was closed under us: the end of the output
            } finally {
                q.queue.add(EOF);
            }
        }, "read-" + name);
        t.setDaemon(true);
        t.start();
        return q;
    }

    /**
     * A queue fed by the returned {@link Writer}: each complete line written becomes a line of the queue;
     * closing the writer ends the queue.
     */
    public static LineSource ofWriter(String name, Consumer<Writer> receiver) {
        LineSource q = new LineSource(name);
        q.writer = new Writer() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public synchronized void write(char[] buf, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        String line = partial.toString();
                        q.received.add(line);
                        q.queue.add(line);
                        partial.setLength(0);
                    } else if (c != '\r') {
                        partial.append(c);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
                q.queue.add(EOF);
            }
        };
        receiver.accept(q.writer);
        return q;
    }

    /**
     * A queue of what a test's program prints: {@link #printWriter()} gives the program its output; each
     * complete line printed becomes a line of the queue (CR dropped).
     */
    public static LineSource capturing(String name) {
        return ofWriter(name, w -> { });
    }

    /**
     * An auto-flushing {@link PrintWriter} onto this queue's writer (one of {@link #ofWriter} or
     * {@link #capturing}).
     *
     * @throws IllegalStateException for a queue that reads a stream
     */
    public PrintWriter printWriter() {
        if (writer == null) {
            throw new IllegalStateException(name + " reads a stream; it has no writer");
        }
        return new PrintWriter(writer, true);
    }

    /**
     * Returns the next line that matches, skipping (but keeping) the others.
     *
     * @throws AssertionError when the stream ends or {@code timeout} passes first, listing what was seen
     */
    public synchronized String await(Predicate<String> matches, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = next(deadline);
            if (line == null) {
                throw new AssertionError(name + ": no line " + what + " within " + timeout + (ended ? " (stream ended)" : "")
                        + "; saw:\n  " + String.join("\n  ", all));
            }
            if (matches.test(line)) {
                return line;
            }
        }
    }

    /**
     * Returns a line matching {@code regex} in full that was read before or arrives within {@code timeout}:
     * for lines whose order against the others is not fixed (log lines of different threads).
     */
    public synchronized String awaitAnywhere(String regex, Duration timeout) {
        for (String line : all) {
            if (line.matches(regex)) {
                return line;
            }
        }
        return awaitMatch(regex, timeout);
    }

    /**
     * {@link #await} for a line matching {@code regex} in full, returning its matcher (for the groups).
     *
     * @throws AssertionError when the stream ends or {@code timeout} passes first, listing what was seen
     */
    public Matcher await(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        Matcher m = pattern.matcher(await(l -> pattern.matcher(l).matches(), "matching /" + regex + "/", timeout));
        if (!m.matches()) {
            throw new IllegalStateException("a matched line no longer matches: " + m);
        }
        return m;
    }

    /** Every complete line received so far, awaited or not, in order: a snapshot; never waits. */
    public List<String> lines() {
        return List.copyOf(received);
    }

    /** {@link #await} for a line matching the regular expression {@code regex} in full. */
    public String awaitMatch(String regex, Duration timeout) {
        return await(l -> l.matches(regex), "matching /" + regex + "/", timeout);
    }

    /**
     * Reads to the end of the stream and returns every line this queue has read since it started.
     *
     * @throws AssertionError when the stream does not end within {@code timeout}
     */
    public synchronized List<String> awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            if (next(deadline) == null && !ended) {
                throw new AssertionError(name + ": did not end within " + timeout + "; saw:\n  " + String.join("\n  ", all));
            }
        }
        return List.copyOf(all);
    }

    private String next(long deadline) {
        if (ended) {
            return null;
        }
        try {
            String line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == EOF) {
                ended = true;
                return null;
            }
            if (line != null) {
                all.add(line);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
