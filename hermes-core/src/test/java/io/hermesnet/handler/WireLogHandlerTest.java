package io.hermesnet.handler;

import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.telemetry.LogGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link WireLogHandler}: an inbound-only stage that logs each received line (RX; the layout writes it escaped) and passes
 * every message on; the write coalescer's listener that logs each sent line (TX, DEBUG); both drop and
 * count their lines when the {@link LogGate} says the log queue is full. Absent with {@code --quiet}.
 */
class WireLogHandlerTest {
    private static List<String> messages(LogCapture log, Level level, String marker) {
        return log.at(level).stream().filter(l -> l.marker().equals(marker)).map(LogCapture.Line::message).toList();
    }

    private static List<String> written(LogCapture log, Level level, String marker) {
        return log.at(level).stream().filter(l -> l.marker().equals(marker)).map(LogCapture.Line::written).toList();
    }

    @Test
    void inboundMessagesPassThroughAndEachLineIsWrittenEscaped() {
        try (LogCapture log = new LogCapture(WireLogHandler.class, Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new WireLogHandler(LogGate.unbounded()));
            try {
                Object other = new Object();
                ch.writeInbound("hello ☃", other, "forged\r\n2025-01-01 [INFO] \u001b[2J ${jndi:ldap://x/a} back\\slash");
                assertEquals("hello ☃", ch.readInbound());
                assertSame(other, ch.readInbound());
                assertEquals("forged\r\n2025-01-01 [INFO] \u001b[2J ${jndi:ldap://x/a} back\\slash", ch.readInbound());
                assertNull(ch.readInbound());
                // the event carries the line as received; the layout (%esc) writes it escaped, lookups untouched
                assertEquals(List.of("[embedded] hello ☃",
                                "[embedded] forged\r\n2025-01-01 [INFO] \u001b[2J ${jndi:ldap://x/a} back\\slash"),
                        messages(log, Level.INFO, "RX"));
                assertEquals(List.of("[embedded] hello ☃",
                                "[embedded] forged\\r\\n2025-01-01 [INFO] \\x1b[2J ${jndi:ldap://x/a} back\\\\slash"),
                        written(log, Level.INFO, "RX"));
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void aFullQueueDropsAndCountsReceivedLinesButPassesThemOn() {
        AtomicLong free = new AtomicLong(0);
        LogGate gate = new LogGate(free::get, 0, Long.MAX_VALUE);
        try (LogCapture log = new LogCapture(WireLogHandler.class, Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new WireLogHandler(gate));
            try {
                ch.writeInbound("one", "two");
                free.set(1);
                ch.writeInbound("three");
                assertEquals("one", ch.readInbound());
                assertEquals("two", ch.readInbound());
                assertEquals("three", ch.readInbound());
                assertEquals(List.of("[embedded] three"), messages(log, Level.INFO, "RX"));
                assertEquals(2, gate.takeDropped());
                assertEquals(0, gate.takeDropped(), "the count restarts after each report");
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void linesPastTheBudgetAreDroppedAndCountedUntilTheNextRefill() {
        LogGate gate = new LogGate(() -> Long.MAX_VALUE, 0, 2);
        try (LogCapture log = new LogCapture(WireLogHandler.class, Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new WireLogHandler(gate));
            try {
                ch.writeInbound("one", "two", "three", "four");
                gate.refill();
                ch.writeInbound("five");
                for (String line : List.of("one", "two", "three", "four", "five")) {
                    assertEquals(line, ch.readInbound(), "a dropped log line still reaches the next stage");
                }
                assertEquals(List.of("[embedded] one", "[embedded] two", "[embedded] five"),
                        messages(log, Level.INFO, "RX"));
                assertEquals(2, gate.takeDropped());
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void isNoOutboundStage() {
        assertFalse(ChannelOutboundHandler.class.isAssignableFrom(WireLogHandler.class),
                "an outbound stage after the write coalescer switches the fan-out's direct append off");
    }

    @Test
    void sentLinesAreLoggedAtDebugWithoutTouchingTheBuffers() {
        LogGate gate = LogGate.unbounded();
        try (LogCapture log = new LogCapture(WireLogHandler.class, Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescingHandler(64 * 1024, new WireLogHandler(gate)));
            try {
                ByteBuf two = Unpooled.copiedBuffer("MSG 1 a héllo\r\nJOIN 2 b\r\n", StandardCharsets.UTF_8);
                ByteBuf shared = Unpooled.copiedBuffer("MSG 3 c \\x1b\r\n", StandardCharsets.UTF_8);
                ch.write(two, ch.voidPromise());
                ((WriteCoalescingHandler) ch.pipeline().first()).append(shared);
                ch.flush();
                assertEquals(0, shared.readerIndex(), "logging must not consume the shared line");
                assertEquals(1, shared.refCnt());
                shared.release();
                ByteBuf out = ch.readOutbound();
                assertEquals("MSG 1 a héllo\r\nJOIN 2 b\r\nMSG 3 c \\x1b\r\n", out.toString(StandardCharsets.UTF_8));
                out.release();
                assertEquals(List.of("[embedded] MSG 1 a héllo", "[embedded] JOIN 2 b", "[embedded] MSG 3 c \\x1b"),
                        messages(log, Level.DEBUG, "TX"));
                assertEquals(List.of("[embedded] MSG 1 a héllo", "[embedded] JOIN 2 b", "[embedded] MSG 3 c \\\\x1b"),
                        written(log, Level.DEBUG, "TX"));
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void sentLinesAreNotLoggedAtInfo() {
        try (LogCapture log = new LogCapture(WireLogHandler.class, Level.INFO)) {
            EmbeddedChannel ch = new EmbeddedChannel(new WriteCoalescingHandler(64 * 1024, new WireLogHandler(LogGate.unbounded())));
            try {
                ch.writeAndFlush(Unpooled.copiedBuffer("MSG 1 a x\r\n", StandardCharsets.UTF_8));
                ByteBuf out = ch.readOutbound();
                out.release();
                assertEquals(List.of(), messages(log, Level.DEBUG, "TX"));
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void inThePipelineUnlessQuiet() {
        TestClients loud = new TestClients(TestClients.quietConfig().echo(true).build());
        TestClients quiet = new TestClients(TestClients.quietConfig().echo(true).quiet(true).build());
        try {
            TestClient a = loud.connect();
            TestClient q = quiet.connect();
            assertNotNull(a.channel().pipeline().get(HermesPipeline.WIRE_LOG));
            assertNull(q.channel().pipeline().get(HermesPipeline.WIRE_LOG));
            a.lines();
            q.lines();
            a.send("logged");
            q.send("not logged");
            assertEquals(List.of("ECHO logged"), a.lines());
            assertEquals(List.of("ECHO not logged"), q.lines());
        } finally {
            loud.close();
            quiet.close();
        }
    }
}
