package io.hermesnet.handler;

import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandler;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out's fast path (docs/design.md "Write coalescing"): with HermesNet's own pipeline every
 * session appends broadcast lines straight into its write coalescer, whatever the log level and
 * whatever limits are set, because no outbound stage sits between the coalescer and the tail. At
 * DEBUG every line a client receives still appears in the TX log.
 */
class FanOutFastPathTest {
    /** Connects three clients, relays one chat line, and checks the fast path and the delivery. */
    private static void assertFastPath(UnaryOperator<HermesConfig.Builder> flags, Level level) {
        try (TestClients server = new TestClients(flags.apply(TestClients.quietConfig()).build());
             LogCapture log = new LogCapture(WireLogHandler.class, level)) {
            List<TestClient> clients = server.connect(3);
            List<String> seenByThird = new ArrayList<>(clients.get(2).lines());
            for (TestClient c : clients) {
                assertTrue(c.session().appendsDirectly(), "session " + c.session() + " walks the pipeline");
                List<ChannelHandler> after = new ArrayList<>();
                boolean pastCoalescer = false;
                for (Map.Entry<String, ChannelHandler> stage : c.channel().pipeline()) {
                    pastCoalescer |= stage.getValue() instanceof WriteCoalescingHandler;
                    if (pastCoalescer && stage.getValue() instanceof ChannelOutboundHandler
                            && !(stage.getValue() instanceof WriteCoalescingHandler)) {
                        after.add(stage.getValue());
                    }
                }
                // the event encoder turns events into buffers; it passes buffers through untouched
                assertTrue(after.stream().allMatch(h -> h.getClass().getSimpleName().equals("ServerEventEncoder")),
                        "outbound stages after the coalescer: " + after);
            }
            clients.get(0).send("fast");
            seenByThird.addAll(clients.get(2).lines());
            assertTrue(seenByThird.contains("MSG 1 client1 fast"), "third client got " + seenByThird);
            List<String> tx = log.at(Level.DEBUG).stream().filter(l -> l.marker().equals("TX"))
                    .map(LogCapture.Line::message).filter(m -> m.startsWith("[Client 3] ")).toList();
            if (level == Level.DEBUG) {
                assertEquals(seenByThird.stream().map(l -> "[Client 3] " + l).toList(), tx,
                        "every line sent to client 3, in order, in the TX log");
            } else {
                assertEquals(List.of(), tx);
            }
        }
    }

    @Test
    void defaultFlags() {
        assertFastPath(b -> b, Level.INFO);
    }

    @Test
    void quiet() {
        assertFastPath(b -> b.quiet(true), Level.INFO);
    }

    @Test
    void logLevelDebugLogsEverySentLine() {
        assertFastPath(b -> b, Level.DEBUG);
    }

    @Test
    void idleTimeout() {
        assertFastPath(b -> b.idleTimeout(Duration.ofSeconds(30)), Level.INFO);
    }

    @Test
    void maxRate() {
        assertFastPath(b -> b.maxRate(100), Level.INFO);
    }

    @Test
    void maxPerIp() {
        assertFastPath(b -> b.maxPerIp(10), Level.INFO);
    }

    @Test
    void everyLimitAtDebug() {
        assertFastPath(b -> b.idleTimeout(Duration.ofSeconds(30)).maxRate(100).maxPerIp(10), Level.DEBUG);
    }
}
