package io.hermesnet.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TlsHandshakeHandler} alone: what the stages after it see before, at and after the handshake. */
class TlsHandshakeHandlerTest {

    /** Records the events that pass the gate, as the admission behind it would see them. */
    private static final class Downstream extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.add("active");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception " + cause.getClass().getSimpleName());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            events.add("read " + msg);
        }
    }

    @Test
    void activeIsHeldBackUntilTheHandshakeSucceeds() {
        Downstream down = new Downstream();
        TlsHandshakeHandler gate = new TlsHandshakeHandler();
        EmbeddedChannel ch = new EmbeddedChannel(gate, down);
        assertEquals(List.of(), down.events, "the channel is active, the handshake is not done");
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertTrue(gate.isHandshaken());
        ch.writeInbound("hello");
        ch.close();
        assertEquals(List.of("active", "read hello", "inactive"), down.events);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aFailedHandshakeClosesAndTheStagesAfterNeverSeeTheChannel() {
        Downstream down = new Downstream();
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeHandler(), down);
        NotSslRecordException notTls = new NotSslRecordException("not an SSL/TLS record: 68656c6c6f");
        ch.pipeline().fireExceptionCaught(new DecoderException(notTls)); // SslHandler reports it twice
        assertFalse(ch.isOpen());
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(notTls));
        assertFalse(ch.isOpen());
        assertEquals(List.of(), down.events);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aTlsErrorAfterTheHandshakeClosesWithoutReachingTheErrorStage() {
        Downstream down = new Downstream();
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeHandler(), down);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.pipeline().fireExceptionCaught(new DecoderException(new SSLException("bad record MAC")));
        assertFalse(ch.isOpen());
        assertEquals(List.of("active", "inactive"), down.events);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void otherErrorsAfterTheHandshakeFlowOn() {
        Downstream down = new Downstream();
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeHandler(), down);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.pipeline().fireExceptionCaught(new IllegalStateException("a handler's bug"));
        assertTrue(ch.isOpen());
        assertEquals(List.of("active", "exception IllegalStateException"), down.events);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void reasonsAreOneLineInOurWordsWithoutThePeersBytes() {
        assertEquals("not TLS (plain text on a TLS port?)",
                TlsHandshakeHandler.reason(new DecoderException(new NotSslRecordException("not an SSL/TLS record: 474554"))));
        assertEquals("handshake timed out after 200ms",
                TlsHandshakeHandler.reason(new SslHandshakeTimeoutException("handshake timed out after 200ms")));
        assertEquals("connection closed before the handshake finished",
                TlsHandshakeHandler.reason(new ClosedChannelException()));
        assertEquals("Received fatal alert: bad_certificate",
                TlsHandshakeHandler.reason(new SSLHandshakeException("Received fatal alert: bad_certificate")));
    }
}
