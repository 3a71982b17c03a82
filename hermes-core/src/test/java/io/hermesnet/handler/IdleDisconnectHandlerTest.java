package io.hermesnet.handler;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleDisconnectHandlerTest {
    private final HermesHub hub = new HermesHub(HermesConfig.builder()
            .tickInterval(Duration.ZERO).idleTimeout(Duration.ofSeconds(30)).quiet(true).build());
    private final HermesPipeline pipeline = new HermesPipeline(hub);

    @Test
    void aClientWithoutInputForTheTimeoutGetsByeAndOthersSeeLeaveIdle() {
        EmbeddedChannel idle = connect();
        EmbeddedChannel other = connect();
        lines(idle);
        lines(other);

        idle.advanceTimeBy(29, TimeUnit.SECONDS);
        idle.runScheduledPendingTasks();
        assertTrue(idle.isOpen());

        other.advanceTimeBy(29, TimeUnit.SECONDS); // the other client keeps talking
        other.writeInbound(Unpooled.copiedBuffer("still here\n", StandardCharsets.UTF_8));
        idle.advanceTimeBy(1, TimeUnit.SECONDS);
        idle.runScheduledPendingTasks();
        idle.runPendingTasks();

        assertEquals(List.of("MSG 2 client2 still here", "BYE Idle timeout"), lines(idle));
        assertFalse(idle.isOpen());
        other.advanceTimeBy(1, TimeUnit.SECONDS);
        other.runScheduledPendingTasks();
        assertTrue(other.isOpen(), "input counts as activity");
        assertEquals(List.of("LEAVE 1 client1 idle", "CLIENTS 1", "RANK 0"), lines(other), "client2 moves up to rank 0");
        idle.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void aClientThatTricklesBytesWithoutEndingALineIsIdle() {
        EmbeddedChannel trickler = connect();
        lines(trickler);
        for (int i = 0; i < 14; i++) { // a byte every 2 s for 28 s
            trickler.advanceTimeBy(2, TimeUnit.SECONDS);
            trickler.writeInbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
            trickler.runScheduledPendingTasks();
        }
        assertTrue(trickler.isOpen());
        trickler.advanceTimeBy(2, TimeUnit.SECONDS);
        trickler.runScheduledPendingTasks();
        trickler.runPendingTasks();
        assertEquals(List.of("BYE Idle timeout"), lines(trickler), "30 s without a complete line");
        assertFalse(trickler.isOpen());
        trickler.finishAndReleaseAll();
    }

    private EmbeddedChannel connect() {
        // freezeTime needs a registered channel; the pipeline is added after, then activated by hand
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        pipeline.configure(ch.pipeline());
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private static List<String> lines(EmbeddedChannel ch) {
        ch.runPendingTasks(); // the hub's lines are flushed by a task, once per batch
        List<String> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            String s = b.toString(StandardCharsets.UTF_8);
            b.release();
            for (String line : s.split("\r\n")) {
                out.add(line);
            }
        }
        return out;
    }
}
