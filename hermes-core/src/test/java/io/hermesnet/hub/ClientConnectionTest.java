package io.hermesnet.hub;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.telemetry.HermesMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClientConnection}: the one way out to a client, over an {@link EmbeddedChannel}. */
class ClientConnectionTest {

    private static EmbeddedChannel channel(boolean coalescer) {
        EmbeddedChannel ch = new EmbeddedChannel();
        if (coalescer) {
            ch.pipeline().addLast(new WriteCoalescingHandler());
        }
        ch.pipeline().addLast(ServerEventEncoder.INSTANCE);
        return ch;
    }

    /** Everything the socket was given so far, as lines. */
    private static List<String> written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder all = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        List<String> lines = new ArrayList<>();
        for (String l : all.toString().split("\r\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }

    @Test
    void linesGoOutInCallOrderAndOneFlushTakesThemAll() {
        EmbeddedChannel ch = channel(true);
        ClientConnection c = ClientConnection.attach(ch, HermesMetrics.NOOP, 0);
        assertTrue(c.appendsDirectly());
        ByteBuf shared = LineEncoding.encode(UnpooledByteBufAllocator.DEFAULT, new ServerEvent.Clients(2));

        c.send(new ServerEvent.IdTick(7));
        c.sendShared(shared, true);
        c.send(new ServerEvent.Rank(0));

        assertEquals(1, shared.refCnt(), "the shared line is copied, not taken over");
        assertNull(ch.readOutbound(), "nothing reaches the socket before the flush task");
        ch.runPendingTasks();
        ByteBuf batch = ch.readOutbound();
        assertEquals("ID 7\r\nCLIENTS 2\r\nRANK 0\r\n", batch.toString(StandardCharsets.UTF_8), "one batch, in order");
        batch.release();
        shared.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void closeWithSendsItsLineLastStopsReadingAndCloses() {
        EmbeddedChannel ch = channel(true);
        ClientConnection c = ClientConnection.attach(ch, HermesMetrics.NOOP, 0);

        c.send(new ServerEvent.Name("ann"));
        c.closeWith(new ServerEvent.Bye("Goodbye"));
        c.send(new ServerEvent.Clients(3));
        c.closeWith(new ServerEvent.Bye("again"));

        assertEquals(List.of("NAME ann", "BYE Goodbye"), written(ch), "sent before, then BYE, nothing after");
        assertFalse(ch.config().isAutoRead(), "nothing more is read once the last line is decided");
        assertFalse(ch.isOpen(), "closed once the BYE is flushed");
        assertTrue(c.isClosing());
    }

    @Test
    void closeWithNothingFlushesWhatWasSentThenCloses() {
        EmbeddedChannel ch = channel(true);
        ClientConnection c = ClientConnection.attach(ch, HermesMetrics.NOOP, 0);

        c.send(new ServerEvent.WhoEnd(0));
        c.closeWith(null);

        assertEquals(List.of("END WHO 0"), written(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void withoutACoalescerLinesWalkThePipelineInOrder() {
        EmbeddedChannel ch = channel(false);
        ClientConnection c = ClientConnection.attach(ch, HermesMetrics.NOOP, 0);
        assertFalse(c.appendsDirectly());
        ByteBuf shared = LineEncoding.encode(UnpooledByteBufAllocator.DEFAULT, new ServerEvent.Clients(2));

        c.send(new ServerEvent.IdTick(1));
        c.sendShared(shared, true);
        c.send(new ServerEvent.Error(ErrorCode.BAD_ARGS, "x"));

        assertEquals(List.of("ID 1", "CLIENTS 2", "ERROR BAD_ARGS x"), written(ch));
        assertEquals(1, shared.refCnt(), "the queued duplicate was released after its write");
        shared.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void anOutboundHandlerAfterTheCoalescerTurnsTheDirectAppendOff() {
        EmbeddedChannel ch = channel(true);
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter()); // an embedder's stage toward the tail

        assertFalse(ClientConnection.attach(ch, HermesMetrics.NOOP, 0).appendsDirectly(),
                "a direct append would skip the embedder's handler");
        ch.finishAndReleaseAll();
    }

    @Test
    void linesSentToAClosedChannelAreReleased() {
        EmbeddedChannel ch = channel(false);
        ClientConnection c = ClientConnection.attach(ch, HermesMetrics.NOOP, 0);
        ByteBuf shared = LineEncoding.encode(UnpooledByteBufAllocator.DEFAULT, new ServerEvent.Clients(2));
        ch.close();

        c.sendShared(shared, true); // from the fan-out, which does not know yet
        c.send(new ServerEvent.Rank(0));
        ch.runPendingTasks();

        assertEquals(1, shared.refCnt(), "the queued duplicate's reference went with the failed write");
        shared.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void countsTheLinesItEncodesAndErrorsByCode() {
        EmbeddedChannel ch = channel(true);
        HermesCounters counters = new HermesCounters();
        ClientConnection c = ClientConnection.attach(ch, counters, 0);

        c.send(new ServerEvent.Error(ErrorCode.NOT_READY, "wait"));
        c.send(new ServerEvent.Rank(1));
        written(ch);

        assertEquals(2, counters.linesDelivered());
        assertEquals(1, counters.errors(ErrorCode.NOT_READY));
        ch.finishAndReleaseAll();
    }
}
