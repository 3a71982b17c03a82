package io.hermesnet.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A one-connection server for testing {@link LineClient} without Netty: accepts one client on
 * {@code 127.0.0.1:0} and runs a script against it on its own thread.
 */
final class TinyServer implements AutoCloseable {
    /** What the server does with its one connection; the socket is closed when it returns. */
    interface Script {
        void run(Conn conn) throws Exception;
    }

    /** The accepted connection, as the script sees it. */
    static final class Conn {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        void write(String raw) throws IOException {
            writeBytes(raw.getBytes(StandardCharsets.UTF_8));
        }

        void writeBytes(byte[] raw) throws IOException {
            synchronized (out) {
                out.write(raw);
                out.flush();
            }
        }
    }

    private final ServerSocket listener;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    TinyServer(Script script) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = listener.accept()) {
                script.run(new Conn(s));
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "TinyServer-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Completes when the script has returned (exceptionally if it threw). */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
