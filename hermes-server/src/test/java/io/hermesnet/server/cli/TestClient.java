package io.hermesnet.server.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** A plain-socket client on 127.0.0.1, as nc would be: lines out, lines in through a {@link LineQueue}. */
final class TestClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final LineQueue in;

    TestClient(String name, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        out = socket.getOutputStream();
        in = LineQueue.start(name, socket.getInputStream(), null);
    }

    /** A client that has connected and received the line matching {@code welcome}. */
    static TestClient welcomed(String name, int port, String welcome) throws IOException {
        TestClient c = new TestClient(name, port);
        try {
            c.await(welcome);
            return c;
        } catch (AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** This client's own port, as the server sees it in {@code ip:port}. */
    int localPort() {
        return socket.getLocalPort();
    }

    void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String await(String regex) {
        return in.awaitMatch(regex, Duration.ofSeconds(10));
    }

    /** Every line the client received, once the server has closed the connection. */
    List<String> allLinesUntilClosed() {
        return in.awaitEnd(Duration.ofSeconds(15));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
