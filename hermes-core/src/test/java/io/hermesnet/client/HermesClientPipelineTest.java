package io.hermesnet.client;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HermesClientPipelineTest {
    private final RecordingListener listener = new RecordingListener();
    private EmbeddedChannel ch;

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel channel(HermesClientPipeline pipeline) {
        ch = new EmbeddedChannel(pipeline.initializer());
        return ch;
    }

    private void feed(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private String sent() {
        ByteBuf buf = ch.readOutbound();
        if (buf == null) {
            return null;
        }
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void stagesHaveTheirNamesInOrder() {
        channel(new HermesClientPipeline(listener, new ExecRegistry()));
        assertEquals(List.of(HermesClientPipeline.FRAME_DECODER, HermesClientPipeline.LINE_DECODER,
                HermesClientPipeline.LINE_ENCODER, HermesClientPipeline.WIRE_LOG, HermesClientPipeline.RAW_LINES,
                HermesClientPipeline.EVENT_DECODER, HermesClientPipeline.STATE, HermesClientPipeline.EXEC,
                HermesClientPipeline.EVENTS),
                ch.pipeline().names().subList(0, 9));
    }

    @Test
    void withoutRegistryOrWireLogThoseStagesAreLeftOut() {
        channel(new HermesClientPipeline(listener, null, 1024, false));
        assertNull(ch.pipeline().get(HermesClientPipeline.EXEC));
        assertNull(ch.pipeline().get(HermesClientPipeline.WIRE_LOG));
        assertTrue(ch.pipeline().get(HermesClientPipeline.EVENTS) instanceof ClientEventHandler);
    }

    @Test
    void decodesEventsAcrossPartialWritesAndBothTerminators() {
        channel(new HermesClientPipeline(listener, null));
        assertEquals(1, listener.connected);
        feed("WELCOME 3 client3 2 Welcome to HermesNet!\r\nMS");
        feed("G 1 alice Hello everyone!\nID 7\r\n");
        assertEquals(List.of(new ServerEvent.Welcome(3, "client3", 2, "Welcome to HermesNet!"),
                new ServerEvent.Msg(1, "alice", "Hello everyone!"), new ServerEvent.IdTick(7)), listener.events);
    }

    @Test
    void unknownLinesArriveWhole() {
        channel(new HermesClientPipeline(listener, null));
        feed("HELLO from a newer server\r\nERROR NOPE what\r\n");
        assertEquals(List.of(new ServerEvent.Unparsed("HELLO from a newer server"),
                new ServerEvent.Unparsed("ERROR NOPE what")), listener.events);
    }

    @Test
    void invalidUtf8LineIsDroppedAndTheConnectionStays() {
        channel(new HermesClientPipeline(listener, null));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'M', 'S', 'G', ' ', (byte) 0xC3, 0x28, '\n'}));
        feed("ERROR NOT_READY room 1 is waiting\n");
        assertEquals(1, listener.badLines.size());
        assertTrue(listener.badLines.get(0).contains("UTF-8"), listener.badLines.get(0));
        assertEquals(List.of(new ServerEvent.Error(ErrorCode.NOT_READY, "room 1 is waiting")), listener.events);
        assertTrue(ch.isActive());
    }

    @Test
    void overlongLineIsDroppedWholeAndTheNextLineDecodes() {
        channel(new HermesClientPipeline(listener, null, 16, true));
        feed("MSG 1 alice " + "x".repeat(40));
        feed("x".repeat(40) + "\r\nID 1\r\n");
        assertEquals(1, listener.badLines.size());
        assertEquals(List.of(new ServerEvent.IdTick(1)), listener.events);
        assertTrue(ch.isActive());
    }

    @Test
    void outboundLinesAreUtf8WithLf() {
        channel(new HermesClientPipeline(listener, null));
        ch.writeOutbound("héllo wörld");
        assertEquals("héllo wörld\n", sent());
        assertNull(sent());
    }

    @Test
    void stateFollowsWhatTheServerSays() {
        channel(new HermesClientPipeline(listener, null));
        ClientState state = ClientState.of(ch);
        assertFalse(state.welcomed());
        assertNull(state.name());
        feed("WELCOME 4 client4 3 hi\r\nCLIENTS 4\r\nNAME bob\r\nRANK 2\r\nID 41\r\nROOM 2 WAITING\r\n");
        assertTrue(state.welcomed());
        assertEquals(4, state.id());
        assertEquals("bob", state.name());
        assertEquals(2, state.rank());
        assertEquals(4, state.clients());
        assertEquals(41, state.lastTick());
        assertEquals(2, state.roomId());
        assertFalse(state.roomReady());
        assertEquals(ClientState.Turn.NONE, state.turn());
        feed("ROOM 2 READY alice bob\r\nTURN READ\r\n");
        assertTrue(state.roomReady());
        assertEquals(ClientState.Turn.READ, state.turn());
        assertNull(state.byeText());
        feed("BYE Thank you\r\n");
        assertEquals("Thank you", state.byeText());
    }

    @Test
    void peerNamesFollowWhoJoinLeaveAndRename() {
        channel(new HermesClientPipeline(listener, null));
        ClientState state = ClientState.of(ch);
        feed("WELCOME 4 client4 3 hi\r\nWHO 1 alice 0 - 127.0.0.1:1\r\nWHO 4 bob 3 - 127.0.0.1:4\r\n");
        assertTrue(state.peerNames().isEmpty(), "a WHO answer counts once it is complete");
        feed("WHO 2 carol 1 - 127.0.0.1:2\r\nEND WHO 3\r\n");
        assertEquals(Set.of("alice", "carol"), Set.copyOf(state.peerNames()), "own row left out");
        feed("JOIN 5 client5\r\nRENAME 5 client5 dave\r\nLEAVE 2 carol logout\r\n");
        assertEquals(Set.of("alice", "dave"), Set.copyOf(state.peerNames()));
        assertEquals("dave", state.peerName(5));
        assertNull(state.peerName(2));
        feed("WHO 1 alice 0 - 127.0.0.1:1\r\nEND WHO 1\r\n");
        assertEquals(Set.of("alice"), Set.copyOf(state.peerNames()), "a new WHO answer replaces the list");
    }

    @Test
    void everyLineReachesOnLineExactlyAsReceivedBeforeItsEvent() {
        List<String> seen = new java.util.ArrayList<>();
        ClientListener tap = new ClientListener() {
            @Override
            public void onLine(String line) {
                seen.add("line:" + line);
            }

            @Override
            public void onEvent(ServerEvent event) {
                seen.add("event:" + event.getClass().getSimpleName());
            }
        };
        channel(new HermesClientPipeline(tap, null));
        feed("ID 007\r\nERROR NAME_TAKEN \r\nHELLO  there\n");
        assertEquals(List.of("line:ID 007", "event:IdTick", "line:ERROR NAME_TAKEN ", "event:Error",
                "line:HELLO  there", "event:Unparsed"), seen);
    }

    @Test
    void ioErrorClosesAndIsReportedOnceAsTheCause() {
        channel(new HermesClientPipeline(listener, null));
        IOException reset = new IOException("Connection reset by peer");
        ch.pipeline().fireExceptionCaught(reset);
        assertFalse(ch.isOpen());
        ch.close();
        assertEquals(1, listener.disconnected);
        assertSame(reset, listener.disconnectCauses.get(0));
    }

    @Test
    void orderlyCloseIsReportedWithoutCause() {
        channel(new HermesClientPipeline(listener, null));
        feed("BYE Goodbye\r\n");
        ch.close();
        assertEquals(1, listener.disconnected);
        assertNull(listener.disconnectCauses.get(0));
    }

    @Test
    void listenerFailureClosesTheConnection() {
        ClientListener failing = event -> {
            throw new IllegalStateException("listener bug");
        };
        ch = new EmbeddedChannel(new HermesClientPipeline(failing, null).initializer());
        feed("ID 1\r\n");
        assertFalse(ch.isOpen());
    }
}
