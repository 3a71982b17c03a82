package io.hermesnet.handler;

import io.hermesnet.server.HermesPipeline;
import io.hermesnet.server.TestClient;
import io.hermesnet.server.TestClients;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link WireLogHandler}: passes every message on unchanged in both directions, with its RX/TX log
 * lines switched on (the log level is raised for these tests only); absent with {@code --quiet}.
 */
class WireLogHandlerTest {
    private static final String LOGGER = WireLogHandler.class.getName();
    private Level before;

    @BeforeEach
    void logEverything() {
        before = LogManager.getLogger(LOGGER).getLevel();
        Configurator.setLevel(LOGGER, Level.DEBUG);
    }

    @AfterEach
    void restoreLogLevel() {
        Configurator.setLevel(LOGGER, before);
    }

    @Test
    void inboundMessagesPassThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(WireLogHandler.INSTANCE);
        try {
            Object other = new Object();
            ch.writeInbound("hello ☃", other);
            assertEquals("hello ☃", ch.readInbound());
            assertSame(other, ch.readInbound());
            assertNull(ch.readInbound());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void outboundBuffersPassThroughUnreadAndUnchanged() {
        EmbeddedChannel ch = new EmbeddedChannel(WireLogHandler.INSTANCE);
        try {
            ByteBuf line = Unpooled.copiedBuffer("MSG 1 a héllo\r\n", StandardCharsets.UTF_8);
            ByteBuf noCrlf = Unpooled.copiedBuffer("x", StandardCharsets.UTF_8);
            ch.writeOutbound(line, noCrlf);
            ByteBuf out = ch.readOutbound();
            assertSame(line, out);
            assertEquals(0, out.readerIndex(), "logging must not consume the buffer");
            assertEquals("MSG 1 a héllo\r\n", out.toString(StandardCharsets.UTF_8));
            out.release();
            ByteBuf out2 = ch.readOutbound();
            assertEquals("x", out2.toString(StandardCharsets.UTF_8));
            out2.release();
        } finally {
            ch.finishAndReleaseAll();
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
