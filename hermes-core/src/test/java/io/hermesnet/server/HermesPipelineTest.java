package io.hermesnet.server;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link HermesPipeline}: the named stages, in order; per-channel and shared handlers. */
class HermesPipelineTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void defaultStagesInOrderWithTicksOff() {
        TestClient a = clients.connect();
        List<String> names = a.channel().pipeline().names();
        assertEquals(List.of(HermesPipeline.SLOW_CONSUMER, HermesPipeline.WRITE_COALESCER, HermesPipeline.TELNET, HermesPipeline.FRAME_DECODER, HermesPipeline.LINE_DECODER,
                HermesPipeline.WIRE_LOG, HermesPipeline.COMMAND_DECODER, HermesPipeline.EVENT_ENCODER, HermesPipeline.ADMISSION,
                HermesPipeline.LOGOUT, HermesPipeline.NICK, HermesPipeline.WHO, HermesPipeline.RANK,
                HermesPipeline.EXEC, HermesPipeline.MSG, HermesPipeline.HELP, HermesPipeline.CHAT, HermesPipeline.ERRORS),
                names.subList(0, names.size() - 1), "then EmbeddedChannel's own tail");
    }

    @Test
    void optionalStagesInOrder() {
        HermesConfig config = TestClients.quietConfig().tickInterval(Duration.ofSeconds(1)).quiet(true).idleTimeout(Duration.ofMinutes(1)).maxRate(5).build();
        try (TestClients others = new TestClients(config)) {
            List<String> names = others.connect().channel().pipeline().names();
            assertEquals(List.of(HermesPipeline.SLOW_CONSUMER, HermesPipeline.WRITE_COALESCER,
                    HermesPipeline.TELNET, HermesPipeline.FRAME_DECODER, HermesPipeline.IDLE_STATE, HermesPipeline.IDLE, HermesPipeline.RATE_LIMIT, HermesPipeline.LINE_DECODER,
                    HermesPipeline.COMMAND_DECODER, HermesPipeline.EVENT_ENCODER, HermesPipeline.ADMISSION,
                    HermesPipeline.TICKER, HermesPipeline.LOGOUT, HermesPipeline.NICK, HermesPipeline.WHO, HermesPipeline.RANK,
                    HermesPipeline.EXEC, HermesPipeline.MSG, HermesPipeline.HELP, HermesPipeline.CHAT, HermesPipeline.ERRORS), names.subList(0, names.size() - 1));
        }
    }

    @Test
    void statefulStagesArePerChannelSharedOnesAreShared() {
        HermesPipeline factory = new HermesPipeline(new HermesHub(TestClients.quietConfig().tickInterval(Duration.ofSeconds(1)).build()));
        io.netty.channel.embedded.EmbeddedChannel x = new io.netty.channel.embedded.EmbeddedChannel();
        io.netty.channel.embedded.EmbeddedChannel y = new io.netty.channel.embedded.EmbeddedChannel();
        try {
            factory.configure(x.pipeline());
            factory.configure(y.pipeline());
            assertNotSame(x.pipeline().get(HermesPipeline.FRAME_DECODER), y.pipeline().get(HermesPipeline.FRAME_DECODER));
            assertNotSame(x.pipeline().get(HermesPipeline.TICKER), y.pipeline().get(HermesPipeline.TICKER));
            assertSame(x.pipeline().get(HermesPipeline.CHAT), y.pipeline().get(HermesPipeline.CHAT));
            assertSame(x.pipeline().get(HermesPipeline.ADMISSION), y.pipeline().get(HermesPipeline.ADMISSION));
        } finally {
            x.finishAndReleaseAll();
            y.finishAndReleaseAll();
        }
    }
}
