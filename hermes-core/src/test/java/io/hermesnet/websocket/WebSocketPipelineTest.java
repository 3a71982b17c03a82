package io.hermesnet.websocket;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser connection through the real pipeline factory ({@link HermesPipeline#configureWebSocket}): the
 * page, the upgrade and its refusals, and the upgraded client as a line client of the hub.
 */
class WebSocketPipelineTest {
    private static final String UPGRADE = """
            GET /ws HTTP/1.1\r
            Host: 127.0.0.1:8080\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Sec-WebSocket-Version: 13\r
            """;

    private final HermesHub hub = new HermesHub(HermesConfig.builder().tickInterval(Duration.ZERO)
            .presenceDelay(Duration.ZERO).maxLineBytes(64).quiet(true).build());
    private final HermesPipeline factory = new HermesPipeline(hub);
    private final WebSocketPipeline webSocket = factory.webSocket(WebSocketSettings.DEFAULT);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final java.util.Map<EmbeddedChannel, EmbeddedChannel> decoders = new java.util.HashMap<>();

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel connect() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                factory.configureWebSocket(c.pipeline(), null, webSocket);
            }
        });
        channels.add(ch);
        return ch;
    }

    /** Sends an HTTP request (headers given without the blank line) and returns the whole response as text. */
    private static String http(EmbeddedChannel ch, String head) {
        ch.writeInbound(Unpooled.copiedBuffer(head + "\r\n", UTF_8));
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(UTF_8));
            b.release();
        }
        return out.toString();
    }

    /** The text frames the server sent since the last call (other frames by their class name). */
    private List<String> frames(EmbeddedChannel ch) {
        ch.runPendingTasks();
        EmbeddedChannel client = decoders.get(ch);
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            client.writeInbound(b);
        }
        List<String> out = new ArrayList<>();
        for (WebSocketFrame f; (f = client.readInbound()) != null; ) {
            out.add(f instanceof TextWebSocketFrame t ? t.text() : f.getClass().getSimpleName());
            f.release();
        }
        return out;
    }

    private static void send(EmbeddedChannel ch, WebSocketFrame... frames) {
        ch.writeInbound(TextFrameDecoderTest.maskedFrames(frames));
    }

    private static void send(EmbeddedChannel ch, String text) {
        send(ch, new TextWebSocketFrame(text));
    }

    /** A connection past its upgrade; the server's frames after the 101 are kept for {@link #frames}. */
    private EmbeddedChannel upgraded() {
        EmbeddedChannel ch = connect();
        ch.writeInbound(Unpooled.copiedBuffer(UPGRADE + "\r\n", UTF_8));
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        String text = all.toString(UTF_8);
        int end = text.indexOf("\r\n\r\n") + 4;
        String response = text.substring(0, end);
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
        assertTrue(response.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
        EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 16));
        decoders.put(ch, decoder);
        channels.add(decoder);
        decoder.writeInbound(all.skipBytes(response.getBytes(UTF_8).length));
        return ch;
    }

    @Test
    void theUpgradedConnectionIsAClientWithTheLineStagesOfTcpAndTheFanOutFastPath() {
        EmbeddedChannel ch = upgraded();
        assertTrue(frames(ch).get(0).startsWith("WELCOME 1 client1 0 "));
        List<String> names = ch.pipeline().names();
        int protocol = names.indexOf(WebSocketPipeline.WS_PROTOCOL);
        assertEquals(List.of(WebSocketPipeline.WS_PROTOCOL, WebSocketPipeline.WS_FRAME_DECODER,
                WebSocketPipeline.WS_FRAME_ENCODER, HermesPipeline.SLOW_CONSUMER, HermesPipeline.WRITE_COALESCER,
                HermesPipeline.FRAME_DECODER), names.subList(protocol, protocol + 6));
        assertFalse(names.contains(HermesPipeline.TELNET));
        assertFalse(names.contains(WebSocketPipeline.PAGE));
        assertFalse(names.contains(WebSocketPipeline.HTTP_TIMEOUT));
        assertTrue(ch.attr(HermesAttributes.SESSION).get().appendsDirectly(), "the fan-out appends to the coalescer");
    }

    @Test
    void browserAndBrowserChatOneFramePerLineAndAFrameHoldingLfIsTwoLines() {
        EmbeddedChannel a = upgraded();
        EmbeddedChannel b = upgraded();
        frames(a);
        frames(b);
        send(a, "hello\nsecond line");
        assertEquals(List.of("MSG 1 client1 hello", "MSG 1 client1 second line"), frames(b));
        send(b, "/nick bob");
        assertEquals(List.of("NAME bob"), frames(b));
        assertEquals(List.of("RENAME 2 client2 bob"), frames(a));
    }

    @Test
    void aLineOverMaxLineGetsLineTooLongAndTheConnectionStays() {
        EmbeddedChannel ch = upgraded();
        frames(ch);
        // fragments within the frame payload limit, one line over the line limit
        send(ch, new TextWebSocketFrame(false, 0, "a".repeat(40)), new ContinuationWebSocketFrame(true, 0, "b".repeat(40)));
        List<String> answer = frames(ch);
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).startsWith("ERROR LINE_TOO_LONG "), answer.toString());
        assertTrue(ch.isActive());
    }

    @Test
    void aFrameOverMaxLineIsClosedWith1009() {
        EmbeddedChannel ch = upgraded();
        frames(ch);
        send(ch, "x".repeat(65));
        assertEquals(List.of("CloseWebSocketFrame"), frames(ch));
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals(0, hub.sessions().size());
    }

    @Test
    void logoutSaysByeThenCloses1000() {
        EmbeddedChannel ch = upgraded();
        frames(ch);
        send(ch, "/quit");
        assertEquals(List.of("BYE Goodbye", "CloseWebSocketFrame"), frames(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void thePageIsServedWithItsTypeAndRevalidatedByEtag() {
        EmbeddedChannel ch = connect();
        String page = http(ch, "GET /?name=alice HTTP/1.1\r\nHost: h\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200 OK\r\n"), page);
        assertTrue(page.contains("content-type: text/html; charset=utf-8\r\n"), page);
        assertTrue(page.contains("cache-control: no-cache\r\n"), page);
        assertTrue(page.contains("content-security-policy: default-src 'none'; script-src 'self'"), page);
        assertTrue(page.contains("<script src=\"chat.js\""), page);
        String etag = page.lines().filter(l -> l.startsWith("etag: ")).findFirst().orElseThrow().substring(6);
        String again = http(ch, "GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: " + etag + "\r\n");
        assertTrue(again.startsWith("HTTP/1.1 304 Not Modified\r\n"), again);
        String js = http(ch, "GET /chat.js HTTP/1.1\r\nHost: h\r\n");
        assertTrue(js.contains("content-type: text/javascript; charset=utf-8\r\n"), js);
        assertTrue(js.contains("textContent"), js);
        assertTrue(http(ch, "GET /chat.css HTTP/1.1\r\nHost: h\r\n").contains("content-type: text/css; charset=utf-8\r\n"));
        assertTrue(http(ch, "GET /etc/passwd HTTP/1.1\r\nHost: h\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(http(ch, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n").startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        assertTrue(ch.isOpen(), "keep-alive");
        assertEquals(0, hub.sessions().size(), "a page request is no client");
    }

    @Test
    void anUpgradeFromAnotherOriginIs403AndFromTheSameOriginIsAccepted() {
        EmbeddedChannel other = connect();
        String refused = http(other, UPGRADE + "Origin: http://evil.example\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 403 Forbidden\r\n"), refused);
        assertFalse(other.isOpen());
        EmbeddedChannel same = connect();
        assertTrue(http(same, UPGRADE + "Origin: http://127.0.0.1:8080\r\n").startsWith("HTTP/1.1 101 "));
        assertEquals(1, hub.sessions().size());
    }

    @Test
    void badUpgradesAre400Or426AndNoClient() {
        assertTrue(http(connect(), "GET /ws HTTP/1.1\r\nHost: h\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(http(connect(), UPGRADE.replace("Version: 13", "Version: 8"))
                .startsWith("HTTP/1.1 426 Upgrade Required\r\n"));
        assertTrue(http(connect(), UPGRADE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""))
                .startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(http(connect(), "GET /ws?x HTTP/1.1\r\nHost: h\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertEquals(0, hub.sessions().size());
    }

    @Test
    void aConnectionThatNeverUpgradesIsClosedAfterTheHandshakeTimeout() {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(io.netty.util.concurrent.Ticker.newMockTicker())
                .handlers(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        factory.configureWebSocket(c.pipeline(), null, webSocket);
                    }
                }).build();
        channels.add(ch);
        ((io.netty.util.concurrent.MockTicker) ch.eventLoop().ticker()).advance(11, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertNull(ch.readOutbound());
    }
}
