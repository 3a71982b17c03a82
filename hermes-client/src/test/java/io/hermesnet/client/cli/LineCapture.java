package io.hermesnet.client.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A writer that collects what the client prints, line by line, and lets a test await a line. */
final class LineCapture extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();

    PrintWriter printWriter() {
        return new PrintWriter(this, true);
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                String line = partial.toString();
                partial.setLength(0);
                lines.add(line);
                arrivals.add(line);
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
    }

    /** Every complete line so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits for the next line matching {@code regex}; lines before it are skipped. */
    Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = arrivals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line matching " + regex + " within " + timeout + "; got " + lines());
            }
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m;
            }
        }
    }
}
