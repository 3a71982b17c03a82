package io.hermesnet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Many {@link LineClient}s read by one selector thread instead of a thread each: with hundreds of
 * clients, every broadcast would otherwise wake hundreds of reader threads, which on a small machine
 * costs more than the server work under test. Each client still has its own queues, counters and
 * {@code await} methods, used from the test thread as usual.
 *
 * <p>A grouped client speaks plain text and cannot pause its reading (see
 * {@link LineClient.Builder#readBy(LineClients)}). {@link #close()} closes every client of the group.
 *
 * <p>Threading: {@link #connect} and {@link #close} from test threads; the group's daemon thread only
 * reads sockets and feeds the clients' line decoders.
 */
public final class LineClients implements AutoCloseable {
    private final Selector selector;
    private final Thread reader;
    private final List<LineClient> clients = new ArrayList<>(); // guarded by itself

    private LineClients() throws IOException {
        selector = Selector.open();
        reader = new Thread(this::readLoop, "LineClients");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens an empty group and starts its reader thread.
     *
     * @throws IOException if no selector can be opened
     */
    public static LineClients open() throws IOException {
        return new LineClients();
    }

    /**
     * Connects {@code count} clients to {@code address}, one after the other, each read by this group;
     * {@code options} adjusts each one's builder (timeout, label, {@code keepLines}). Nothing is read
     * yet: await each client's first line.
     *
     * @return the new clients in connection order
     * @throws UncheckedIOException if a connection cannot be made (the clients made so far stay in the group)
     */
    public List<LineClient> connect(InetSocketAddress address, int count, Consumer<LineClient.Builder> options) {
        List<LineClient> made = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LineClient.Builder b = LineClient.builder(address).readBy(this);
            options.accept(b);
            try {
                made.add(b.connect());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot connect client " + i + " to " + address, e);
            }
        }
        return made;
    }

    /** Every client connected through this group so far, in connection order. */
    public List<LineClient> clients() {
        synchronized (clients) {
            return new ArrayList<>(clients);
        }
    }

    /** Registers a connected non-blocking channel; called by {@link LineClient}'s constructor. */
    void register(SocketChannel channel, LineClient client) throws IOException {
        channel.register(selector, SelectionKey.OP_READ, client);
        synchronized (clients) {
            clients.add(client);
        }
        selector.wakeup(); // a registration takes effect at the next select
    }

    /** Makes the reader thread select again, so that closed channels are deregistered (and really closed). */
    void wakeup() {
        selector.wakeup();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select(key -> {
                    LineClient client = (LineClient) key.attachment();
                    buf.clear();
                    int n;
                    IOException failure = null;
                    try {
                        n = ((SocketChannel) key.channel()).read(buf);
                    } catch (IOException e) {
                        n = -1;
                        failure = e;
                    }
                    if (n < 0) {
                        key.cancel();
                        client.onEnd(failure);
                    } else if (n > 0) {
                        client.onBytes(buf.array(), n);
                    }
                });
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed by the test
        }
    }

    /** Closes every client of the group, then the selector; idempotent, never throws. */
    @Override
    public void close() {
        for (LineClient c : clients()) {
            c.close();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
