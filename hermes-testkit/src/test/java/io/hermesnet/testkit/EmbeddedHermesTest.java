package io.hermesnet.testkit;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedHermesTest {

    @Test
    void openedChannelIsAdmittedByTheRealPipeline() {
        HermesPipeline pipeline = new HermesPipeline(new HermesHub(HermesConfig.DEFAULT));
        EmbeddedChannel a = EmbeddedHermes.open(pipeline);
        try {
            assertTrue(a.isActive());
            assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1"), EmbeddedHermes.readLines(a));
            assertTrue(a.pipeline().names().contains(HermesPipeline.FRAME_DECODER));
            EmbeddedHermes.writeLine(a, "/rank");
            assertEquals("RANK 0", EmbeddedHermes.readLine(a));
            assertNull(EmbeddedHermes.readLine(a));
        } finally {
            assertFalse(a.finishAndReleaseAll());
        }
    }

    @Test
    void channelsOfOneHubSeeEachOther() {
        HermesHub hub = new HermesHub(HermesConfig.DEFAULT);
        EmbeddedChannel a = EmbeddedHermes.open(hub);
        EmbeddedChannel b = EmbeddedHermes.open(hub);
        try {
            assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1", "JOIN 2 client2", "CLIENTS 2"),
                    EmbeddedHermes.readLines(a));
            assertEquals(List.of("WELCOME 2 client2 1 Welcome to HermesNet!", "CLIENTS 2"), EmbeddedHermes.readLines(b));
            EmbeddedHermes.writeBytes(b, "hi there\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("MSG 2 client2 hi there"), EmbeddedHermes.readLines(a));
            assertEquals(List.of(), EmbeddedHermes.readLines(b));
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }

    @Test
    void aSharedMockTickerDrivesTheTickersOfSeveralChannels() {
        HermesPipeline pipeline = new HermesPipeline(new HermesHub(HermesConfig.builder()
                .tickInterval(Duration.ofSeconds(1)).build()));
        MockTicker time = Ticker.newMockTicker();
        EmbeddedChannel a = EmbeddedHermes.open(pipeline, time);
        EmbeddedChannel b = EmbeddedHermes.open(pipeline, time);
        try {
            EmbeddedHermes.readLines(a);
            EmbeddedHermes.readLines(b);
            time.advance(999, TimeUnit.MILLISECONDS);
            a.runScheduledPendingTasks();
            b.runScheduledPendingTasks();
            assertEquals(List.of(), EmbeddedHermes.readLines(a));
            time.advance(1, TimeUnit.MILLISECONDS);
            a.runScheduledPendingTasks();
            b.runScheduledPendingTasks();
            assertEquals(List.of("ID 0"), EmbeddedHermes.readLines(a));
            assertEquals(List.of("ID 1"), EmbeddedHermes.readLines(b));
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }

    @Test
    void readLinesRejectsLinesWithoutCrlfAndReleasesThem() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ch.writeOutbound(Unpooled.copiedBuffer("ok\r\nbad\n", StandardCharsets.UTF_8));
            AssertionError e = assertThrows(AssertionError.class, () -> EmbeddedHermes.readLines(ch));
            assertTrue(e.getMessage().contains("without CRLF"), e.getMessage());
            ch.writeOutbound(Unpooled.copiedBuffer("partial", StandardCharsets.UTF_8));
            assertThrows(AssertionError.class, () -> EmbeddedHermes.readLines(ch));
            ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3, '\r', '\n'}));
            assertThrows(AssertionError.class, () -> EmbeddedHermes.readLines(ch));
            ch.writeOutbound("not a buffer");
            assertThrows(AssertionError.class, () -> EmbeddedHermes.readLines(ch));
        } finally {
            assertFalse(ch.finishAndReleaseAll(), "readLines consumed and released everything");
        }
    }
}
