package io.hermesnet.spec;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.TestCertificates;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.websocket.WebSocketSettings;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §6.3 over real sockets: WebSocket clients (the JDK's) and TCP clients of one server
 * chat with each other, and the limits and refusals of a browser listener.
 */
@Timeout(20)
class WebSocketSpecTest {
    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).presenceDelay(Duration.ZERO))
            .build();

    @TempDir
    Path dir;

    private final List<WsClient> browsers = new ArrayList<>();
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = new LogCapture(Level.INFO);
    }

    @AfterEach
    void release() {
        browsers.forEach(WsClient::close);
        log.close();
    }

    private WsClient browser() throws Exception {
        return track(WsClient.connect(server.httpAddress()));
    }

    private WsClient track(WsClient c) {
        browsers.add(c);
        return c;
    }

    private boolean logged(String fragment) {
        return log.messages("STATE").stream().anyMatch(m -> m.contains(fragment));
    }

    @Test
    void aWebSocketUserAndATcpUserChatWithEachOther() throws Exception {
        server.webSocket(WebSocketSettings.DEFAULT);
        LineClient tcp = server.join();
        WsClient ws = browser();
        String id = ws.await("WELCOME (\\d+) client\\d+ 1 .*").group(1);
        ws.await("CLIENTS 2");
        tcp.await("JOIN " + id + " client" + id);

        ws.send("/nick alice");
        ws.await("NAME alice");
        tcp.await("RENAME " + id + " client" + id + " alice");
        ws.send("hello from the browser");
        tcp.await("MSG " + id + " alice hello from the browser");
        tcp.send("hi alice");
        ws.await("MSG \\d+ client\\d+ hi alice");

        ws.send("two\nlines"); // one message holding LF is two lines
        tcp.await("MSG " + id + " alice two");
        tcp.await("MSG " + id + " alice lines");

        ws.send("/who");
        ws.await("WHO \\d+ client\\d+ 0 - 127\\.0\\.0\\.1:\\d+");
        ws.await("WHO " + id + " alice 1 - 127\\.0\\.0\\.1:\\d+");
        ws.await("END WHO 2");

        ws.send("/quit");
        ws.await("BYE Goodbye");
        assertEquals(1000, ws.awaitCloseCode());
        tcp.await("LEAVE " + id + " alice logout");
    }

    @Test
    void aFrameOverMaxLineIsClosedWith1009AndTheOthersSeeLeaveError() throws Exception {
        server.configure(c -> c.maxLineBytes(32)).webSocket(WebSocketSettings.DEFAULT);
        LineClient tcp = server.join();
        WsClient ws = browser();
        String id = ws.await("WELCOME (\\d+) .*").group(1);
        ws.send("x".repeat(32)); // at the limit: a line
        tcp.await("MSG " + id + " client" + id + " x{32}");
        ws.send("y".repeat(33));
        assertEquals(1009, ws.awaitCloseCode());
        tcp.await("LEAVE " + id + " client" + id + " error");
        assertTrue(logged("WebSocket frame refused"), log.all().toString());
    }

    @Test
    void aBinaryMessageIsClosedWith1003() throws Exception {
        server.webSocket(WebSocketSettings.DEFAULT);
        LineClient tcp = server.join();
        WsClient ws = browser();
        String id = ws.await("WELCOME (\\d+) .*").group(1);
        ws.sendBinary("hello\n".getBytes());
        assertEquals(1003, ws.awaitCloseCode());
        tcp.await("LEAVE " + id + " client" + id + " error");
        assertTrue(logged("binary WebSocket message, closing with 1003"), log.all().toString());
    }

    @Test
    void maxPerIpCountsWebSocketAndTcpConnectionsTogether() throws Exception {
        server.configure(c -> c.maxPerIp(1)).webSocket(WebSocketSettings.DEFAULT);
        server.join();
        WsClient ws = browser();
        ws.await("ERROR FULL too many connections from 127\\.0\\.0\\.1");
        assertEquals(1000, ws.awaitCloseCode());
    }

    @Test
    void anUpgradeFromAnotherOriginIs403AndLogged() throws Exception {
        server.webSocket(WebSocketSettings.DEFAULT);
        InetSocketAddress at = server.httpAddress();
        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> track(WsClient.connect(at, null, Map.of("Origin", "http://evil.example"))));
        assertEquals(403, refused.getResponse().statusCode());
        assertTrue(logged("origin \"http://evil.example\" refused (--ws-origin), answered 403"), log.all().toString());

        WsClient same = track(WsClient.connect(at, null, Map.of("Origin", "http://127.0.0.1:" + at.getPort())));
        same.await("WELCOME .*");
    }

    @Test
    void wsOriginListsTheOriginsAllowed() throws Exception {
        server.webSocket(WebSocketSettings.DEFAULT.withOrigins("https://chat.example.org"));
        InetSocketAddress at = server.httpAddress();
        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> track(WsClient.connect(at, null, Map.of("Origin", "http://127.0.0.1:" + at.getPort()))));
        assertEquals(403, refused.getResponse().statusCode());
        track(WsClient.connect(at, null, Map.of("Origin", "https://CHAT.example.org"))).await("WELCOME .*");
    }

    @Test
    void thePageAndABadUpgradeOverHttp() throws Exception {
        server.webSocket(WebSocketSettings.DEFAULT);
        InetSocketAddress at = server.httpAddress();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + at.getPort() + "/?name=alice")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
        assertTrue(page.body().contains("<script src=\"chat.js\""), page.body());

        HttpResponse<String> notUpgrade = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + at.getPort() + "/ws")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notUpgrade.statusCode());
        assertTrue(logged("without a WebSocket upgrade, answered 400"), log.all().toString());
    }

    @Test
    void wssWhenTlsIsOn() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued pair = certs.issue("server");
        server.tls(ServerTls.load(pair.certFile(), pair.keyFile()), true).webSocket(WebSocketSettings.DEFAULT);
        LineClient tcp = server.join();
        WsClient ws = track(WsClient.connect(server.httpAddress(), certs.clientContext(), Map.of()));
        String id = ws.await("WELCOME (\\d+) .*").group(1);
        ws.send("over TLS");
        tcp.await("MSG " + id + " client" + id + " over TLS");
    }

    @Test
    void anIdleWebSocketClientIsToldAndClosedAsOnTcp() throws Exception {
        server.configure(c -> c.idleTimeout(Duration.ofMillis(500))).webSocket(WebSocketSettings.DEFAULT);
        WsClient ws = browser();
        ws.await("WELCOME .*");
        ws.await("BYE Idle timeout");
        assertEquals(1000, ws.awaitCloseCode());
    }
}
