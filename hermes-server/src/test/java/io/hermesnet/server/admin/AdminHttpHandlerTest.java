package io.hermesnet.server.admin;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AdminHttpHandler} in the pipeline {@link AdminServer#configure} builds, on an
 * {@link EmbeddedChannel}: raw HTTP/1.1 bytes in, raw response bytes out.
 */
@Timeout(10)
class AdminHttpHandlerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final List<EventExecutor> loops = new ArrayList<>();
    private final AdminEndpoints endpoints = new AdminEndpoints(registry, new HermesHub(HermesConfig.DEFAULT), loops,
            accepting::get, Map.of("version", "test"), "node-1", Clock.systemUTC());
    private final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel c) {
            AdminServer.configure(c.pipeline(), endpoints);
        }
    });

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        registry.close();
    }

    private void request(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** Everything written so far, as text. */
    private String responses() {
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void readyzFollowsTheServer() {
        request(get("/readyz"));
        String ready = responses();
        assertTrue(ready.startsWith("HTTP/1.1 200 OK\r\n"), ready);
        assertTrue(ready.endsWith("\r\n\r\nready\n"), ready);
        accepting.set(false);
        request(get("/readyz"));
        assertTrue(responses().startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
        assertTrue(ch.isActive(), "keep-alive");
    }

    @Test
    void healthzAnswersOnceEveryLoopHasRunItsTask() {
        loops.add(ch.eventLoop());
        request(get("/healthz"));
        String r = responses(); // runs the no-op, then the answer
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.endsWith("ok\n"), r);
    }

    @Test
    void healthzIs503WhenALoopIsStuckForASecond() throws InterruptedException {
        DefaultEventExecutor stuck = new DefaultEventExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            stuck.execute(() -> {
                try {
                    release.await(); // a loop busy with something else
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loops.add(ch.eventLoop());
            loops.add(stuck);
            ch.freezeTime();
            request(get("/healthz"));
            request(get("/readyz")); // pipelined behind the health check: answered after it
            assertEquals("", responses(), "no answer before the deadline");
            ch.advanceTimeBy(999, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertEquals("", responses());
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            String r = responses();
            assertTrue(r.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), r);
            assertTrue(r.contains("1 event loop(s) did not run a task within 1 s"), r);
            int second = r.indexOf("HTTP/1.1 200 OK\r\n");
            assertTrue(second > 0 && r.endsWith("ready\n"), "the pipelined /readyz follows: " + r);
        } finally {
            release.countDown();
            stuck.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void unknownPathIs404() {
        request(get("/admin"));
        assertTrue(responses().startsWith("HTTP/1.1 404 Not Found\r\n"));
        request(get("/metrics/extra"));
        assertTrue(responses().startsWith("HTTP/1.1 404 Not Found\r\n"));
    }

    @Test
    void otherMethodsAre405WithAllow() {
        request("POST /clients HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        String r = responses();
        assertTrue(r.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), r);
        assertTrue(r.toLowerCase().contains("\r\nallow: get, head\r\n"), r);
    }

    @Test
    void headHasTheHeadersWithoutTheBody() {
        request("HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = responses();
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("content-length: 6\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n"), r);
    }

    @Test
    void queryStringsAreIgnoredAndJsonIsJson() {
        request(get("/clients?pretty=1"));
        String r = responses();
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("content-type: application/json\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n[]"), r);
    }

    @Test
    void connectionCloseIsHonoured() {
        request("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(responses().startsWith("HTTP/1.1 200 OK\r\n"));
        assertFalse(ch.isActive());
    }

    @Test
    void aGarbledRequestIs400AndCloses() {
        request("\u0001\u0002 nonsense\r\n\r\n");
        String r = responses();
        assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
        assertFalse(ch.isActive());
    }

    @Test
    void anOverlongRequestLineIsRefused() {
        request("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String r = responses();
        assertFalse(r.startsWith("HTTP/1.1 200"), r);
        assertFalse(ch.isActive());
    }
}
