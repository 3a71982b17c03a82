package io.hermesnet.limits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain {@link Socket} client for the limit tests: a daemon reader thread puts every received line
 * into a {@link BlockingQueue}, and the test awaits the lines it expects (never sleeps). Loopback only.
 * A client made with {@code reading = false} never reads, to play a slow consumer.
 */
final class RawClient implements AutoCloseable {
    /** Put in the queue when the server closes the connection; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String EOF = new String("<EOF>");
    static final Duration WAIT = Duration.ofSeconds(10);

    final Socket socket;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final OutputStream out;
    private final SocketChannel channel;
    private final Predicate<String> keep;
    long id;
    String name;
    int rank;

    private RawClient(Socket socket, boolean reading, Predicate<String> keep) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.channel = null;
        this.keep = keep;
        if (reading) {
            Thread reader = new Thread(this::readLoop, "raw-client-" + socket.getLocalPort());
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** A client on a non-blocking channel whose lines a {@link ClientGroup} reads. */
    RawClient(SocketChannel channel) {
        this.socket = channel.socket();
        this.out = null;
        this.channel = channel;
        this.keep = line -> true;
    }

    /** Connects, reads from the start and awaits {@code WELCOME}. */
    static RawClient join(int port) throws IOException {
        RawClient c = connect(port, 0, true, line -> true);
        c.welcome();
        return c;
    }

    /**
     * Connects to 127.0.0.1:{@code port}.
     *
     * @param receiveBuffer SO_RCVBUF in bytes, set before connecting; 0 keeps the default
     * @param reading       whether a reader thread drains the socket
     * @param keep          which lines go into the queue (the others are read and dropped)
     */
    static RawClient connect(int port, int receiveBuffer, boolean reading, Predicate<String> keep) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
        s.setTcpNoDelay(true);
        return new RawClient(s, reading, keep);
    }

    /** Awaits {@code WELCOME <id> <name> <rank> ...} and remembers the id, name and rank. */
    RawClient welcome() {
        String[] f = await(l -> l.startsWith("WELCOME "), WAIT).split(" ");
        id = Long.parseLong(f[1]);
        name = f[2];
        rank = Integer.parseInt(f[3]);
        return this;
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                received(line);
            }
        } catch (IOException e) {
            // reset by the server or closed by the test: both end the stream
        }
        ended();
    }

    /** One line from the server, without its terminator. */
    void received(String line) {
        if (keep.test(line)) {
            lines.add(line);
        }
    }

    /** The server closed the connection. */
    void ended() {
        lines.add(EOF);
    }

    void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        if (channel == null) {
            out.write(bytes);
            out.flush();
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (buf.hasRemaining()) { // a few bytes: the socket buffer takes them at once
            channel.write(buf);
            if (System.nanoTime() > deadline) {
                throw new IOException("could not send within " + WAIT);
            }
        }
    }

    /** Consumes lines up to and including the first that matches; fails after {@code timeout}. */
    String await(Predicate<String> match, Duration timeout) {
        List<String> seen = until(match, timeout);
        return seen.get(seen.size() - 1);
    }

    /** Awaits the exact line. */
    String await(String exact) {
        return await(exact::equals, WAIT);
    }

    /**
     * Consumes lines up to and including the first that matches and returns them all; fails after
     * {@code timeout} or at EOF, showing the last lines seen.
     */
    List<String> until(Predicate<String> match, Duration timeout) {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line == EOF && !match.test(line)) {
                    throw new AssertionError((line == null ? "timed out" : "connection closed")
                            + " waiting for a line; last lines: " + seen.subList(Math.max(0, seen.size() - 10), seen.size()));
                }
                seen.add(line);
                if (match.test(line)) {
                    return seen;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Awaits the end of the stream; returns the lines before it. */
    List<String> awaitEof() {
        List<String> seen = until(l -> l == EOF, WAIT);
        return seen.subList(0, seen.size() - 1);
    }

    /** Whether a line matching {@code match} is waiting in the queue (does not consume). */
    boolean hasLine(Predicate<String> match) {
        return lines.stream().anyMatch(l -> l != EOF && match.test(l));
    }

    /** Closes abruptly: SO_LINGER 0 makes the close send a TCP RST instead of a FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
