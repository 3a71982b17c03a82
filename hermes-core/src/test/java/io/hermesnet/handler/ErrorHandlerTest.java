package io.hermesnet.handler;

import io.hermesnet.codec.ProtocolException;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ErrorHandler}: unknown and malformed commands, codec refusals, unexpected errors (docs/protocol.md §2, §3.11). */
class ErrorHandlerTest {
    private static final String TRY = "; try " + ErrorHandler.COMMANDS;

    private final TestClients clients = new TestClients(TestClients.quietConfig().build());
    private final TestClient a = clients.connect();
    private final TestClient b = clients.connect();
    private final TestClient c = clients.connect();

    ErrorHandlerTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    private void assertOthersSawNothing() {
        assertEquals(List.of(), b.lines());
        assertEquals(List.of(), c.lines());
    }

    @Test
    void unknownCommandNamesTheVerb() {
        a.send("/dance wildly");
        assertEquals(List.of("ERROR UNKNOWN_COMMAND /dance is not a command" + TRY), a.lines());
        a.send("/FLY");
        assertEquals(List.of("ERROR UNKNOWN_COMMAND /fly is not a command" + TRY), a.lines());
        a.send("/");
        assertEquals(List.of("ERROR UNKNOWN_COMMAND / is not a command" + TRY), a.lines());
        assertTrue(a.isOpen());
        assertOthersSawNothing();
    }

    @Test
    void hintListsEveryCommand() {
        for (String verb : List.of("/nick", "/who", "/rank", "/exec", "/result", "/logout", "/quit")) {
            assertTrue(ErrorHandler.COMMANDS.contains(verb), verb);
        }
    }

    @Test
    void malformedCommandGetsItsError() {
        a.send("/nick no way");
        assertEquals(List.of("ERROR BAD_ARGS usage: /nick <name> (1-32 of A-Z a-z 0-9 _ -)"), a.lines());
        assertTrue(a.isOpen());
        assertOthersSawNothing();
    }

    @Test
    void codecRefusalsAnswerAndKeepTheConnection() {
        a.channel().pipeline().fireExceptionCaught(new TooLongFrameException("frame length exceeds 4096"));
        assertEquals(List.of("ERROR LINE_TOO_LONG line longer than the limit was discarded"), a.lines());
        a.channel().pipeline().fireExceptionCaught(new ProtocolException(ErrorCode.BAD_ENCODING, "not UTF-8"));
        assertEquals(List.of("ERROR BAD_ENCODING not UTF-8"), a.lines());
        assertTrue(a.isOpen());
        assertOthersSawNothing();
    }

    @Test
    void unexpectedExceptionClosesOnlyThatConnectionWithReasonError() {
        b.channel().pipeline().fireExceptionCaught(new IllegalStateException("test: a handler bug"));
        b.channel().runPendingTasks();
        assertFalse(b.isOpen());
        assertTrue(a.isOpen());
        assertTrue(c.isOpen());
        assertEquals(List.of("LEAVE 2 client2 error", "CLIENTS 2", "RANK 1"), c.lines());
        assertEquals(List.of("LEAVE 2 client2 error", "CLIENTS 2"), a.lines());
        a.send("still fine");
        assertEquals(List.of("MSG 1 client1 still fine"), c.lines());
    }

    @Test
    void exceptionInAHandlerClosesOnlyThatConnection() {
        // a handler that throws on a command, placed where the real handlers are
        b.channel().pipeline().addBefore(HermesPipeline.CHAT, "boom", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                throw new IllegalArgumentException("test: boom");
            }
        });
        b.send("hello");
        assertFalse(b.isOpen());
        assertEquals(List.of("LEAVE 2 client2 error", "CLIENTS 2"), a.lines());
    }

    @Test
    void ioErrorClosesWithReasonClosed() {
        a.channel().pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        a.channel().runPendingTasks();
        assertFalse(a.isOpen());
        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 2", "RANK 0"), b.lines());
    }

    @Test
    void anIoErrorIsLoggedOncePerConnectionWithoutAStackTrace() {
        // A reset peer fails the read and every write still queued for it, each with its own exception,
        // all within the event-loop task that closes the channel: a real transport removes the handlers
        // only after that task, so the repeats reach this handler. EmbeddedChannel removes them at
        // once, so the repeats are delivered to the handler's context, as the real pipeline would.
        ChannelHandlerContext errorsA = a.channel().pipeline().context(HermesPipeline.ERRORS);
        ChannelHandlerContext errorsB = b.channel().pipeline().context(HermesPipeline.ERRORS);
        try (LogCapture log = new LogCapture(ErrorHandler.class, Level.DEBUG)) {
            a.channel().pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
            ErrorHandler.INSTANCE.exceptionCaught(errorsA, new IOException("Connection reset by peer"));
            ErrorHandler.INSTANCE.exceptionCaught(errorsA, new IOException("Broken pipe"));
            b.channel().pipeline().fireExceptionCaught(new IOException("Broken pipe"));
            ErrorHandler.INSTANCE.exceptionCaught(errorsB, new IOException("Connection reset by peer"));
            a.channel().runPendingTasks();
            b.channel().runPendingTasks();

            List<LogCapture.Line> info = log.at(Level.INFO);
            assertEquals(List.of("Client 1: Connection reset by peer", "Client 2: Broken pipe"),
                    info.stream().map(LogCapture.Line::message).toList());
            for (LogCapture.Line line : info) {
                assertEquals("STATE", line.marker());
                assertNull(line.thrown(), "no stack trace for a reset");
            }
            assertEquals(3, log.at(Level.DEBUG).size(), "the repeats");
            assertEquals(List.of(), log.at(Level.WARN));
        }
        assertFalse(a.isOpen());
        assertFalse(b.isOpen());
        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 2", "RANK 1", "LEAVE 2 client2 closed", "CLIENTS 1", "RANK 0"),
                c.lines());
    }

    @Test
    void writeAfterCloseIsNotAnError() {
        a.channel().pipeline().fireExceptionCaught(new ClosedChannelException());
        assertTrue(a.isOpen());
        assertEquals(List.of(), a.lines());
        assertOthersSawNothing();
    }

    @Test
    void messagesNoHandlerTookAreReleased() {
        ByteBuf stray = Unpooled.buffer(4).writeInt(42);
        a.channel().pipeline().context(HermesPipeline.CHAT).fireChannelRead(stray);
        assertEquals(0, stray.refCnt());
        assertEquals(List.of(), a.lines());
    }
}
