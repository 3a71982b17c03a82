package io.hermesnet.limits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many {@link RawClient}s read by one selector thread instead of one thread each: with hundreds of
 * clients every broadcast would otherwise wake hundreds of threads, which on a 2-core machine costs
 * more than the server's work being tested. Lines land in each client's queue as usual.
 */
final class ClientGroup implements AutoCloseable {
    final List<RawClient> clients = new ArrayList<>();
    private final Selector selector;
    private final Thread reader;

    private ClientGroup(int port, int count) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            RawClient c = new RawClient(ch);
            ch.register(selector, SelectionKey.OP_READ, new Lines(c));
            clients.add(c);
        }
        reader = new Thread(this::readLoop, "client-group");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects {@code count} clients to 127.0.0.1:{@code port} and awaits every {@code WELCOME}. */
    static ClientGroup join(int port, int count) throws IOException {
        ClientGroup g = new ClientGroup(port, count);
        for (RawClient c : g.clients) {
            c.welcome();
        }
        return g;
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    Lines lines = (Lines) key.attachment();
                    buf.clear();
                    int n;
                    try {
                        n = ((SocketChannel) key.channel()).read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        lines.client.ended();
                    } else {
                        lines.feed(buf.array(), n);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed by the test
        }
    }

    /**
     * Resets {@code c} (TCP RST): a channel registered with a selector is really closed only when the
     * selector next deregisters it, so the selector is woken up.
     */
    void reset(RawClient c) throws IOException {
        c.reset();
        selector.wakeup();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        for (RawClient c : clients) {
            c.close();
        }
    }

    /** Splits one client's bytes into lines (LF or CRLF). */
    private static final class Lines {
        final RawClient client;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Lines(RawClient client) {
            this.client = client;
        }

        void feed(byte[] bytes, int n) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    partial.write(bytes, from, i - from);
                    byte[] line = partial.toByteArray();
                    int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                    client.received(new String(line, 0, len, StandardCharsets.UTF_8));
                    partial.reset();
                    from = i + 1;
                }
            }
            partial.write(bytes, from, n - from);
        }
    }
}
