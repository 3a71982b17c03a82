package io.hermesnet.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/** What a virtual terminal shows, as text without escape sequences; a test can await a piece of it. */
final class TerminalOutput extends OutputStream {
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\u001b[=>78]");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    /** Everything written so far, escape sequences removed. */
    synchronized String text() {
        return ESCAPES.matcher(bytes.toString(StandardCharsets.UTF_8)).replaceAll("");
    }

    /** Everything written so far, escape sequences and all, as the terminal received it. */
    synchronized String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized String raw() {
        return bytes.toString(StandardCharsets.UTF_8).replace("\u001b", "<ESC>");
    }

    /** Waits until what was written after the first {@code from} characters contains {@code piece}. */
    synchronized void awaitMore(int from, String piece, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!written().substring(from).contains(piece)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("terminal never showed \"" + piece + "\" again; it shows:\n" + raw());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until the text contains {@code piece}. */
    synchronized void await(String piece, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(piece)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("terminal never showed \"" + piece + "\"; it shows:\n" + text() + "\nRAW:\n" + raw());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
