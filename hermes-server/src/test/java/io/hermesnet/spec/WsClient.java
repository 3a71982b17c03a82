package io.hermesnet.spec;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A WebSocket client for the tests of docs/protocol.md §6.3, on the JDK's {@link java.net.http.WebSocket}:
 * each text message received is one line; {@link #await} waits for a line as LineClient's does.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder message = new StringBuilder();
    private WebSocket ws;

    /** Opens {@code ws://address/ws} (or {@code wss://} with {@code tls}) with extra request headers. */
    static WsClient connect(InetSocketAddress address, SSLContext tls, Map<String, String> headers) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (tls != null) {
            http.sslContext(tls);
        }
        WebSocket.Builder b = http.build().newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(b::header);
        WsClient c = new WsClient();
        URI uri = URI.create((tls != null ? "wss://" : "ws://") + address.getHostString() + ":" + address.getPort() + "/ws");
        try {
            c.ws = b.buildAsync(uri, c).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        return c;
    }

    static WsClient connect(InetSocketAddress address) throws Exception {
        return connect(address, null, Map.of());
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        message.append(data);
        if (last) {
            lines.add(message.toString());
            message.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** Sends one text message. */
    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends one binary message. */
    void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Waits for the next line matching {@code regex}, skipping others; fails after {@link #TIMEOUT}. */
    Matcher await(String regex) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no line matching " + regex + " within " + TIMEOUT + "; received " + transcript);
                }
                transcript.add(line);
                Matcher m = p.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the server's close frame and returns its status code. */
    int awaitCloseCode() throws Exception {
        try {
            return closeCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no close frame within " + TIMEOUT + "; received " + transcript + lines, e);
        }
    }

    /** Every line received and awaited so far, then those not yet awaited. */
    List<String> transcript() {
        List<String> all = new ArrayList<>(transcript);
        all.addAll(lines);
        return all;
    }

    @Override
    public void close() {
        if (ws != null) {
            ws.abort();
        }
    }
}
