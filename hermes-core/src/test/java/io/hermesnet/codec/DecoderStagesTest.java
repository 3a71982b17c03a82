package io.hermesnet.codec;

import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link CommandDecoder} (server side) and {@link ServerEventDecoder} (client side): String → message. */
class DecoderStagesTest {

    @Test
    void commandDecoderParsesAndDropsIgnoredLines() {
        EmbeddedChannel ch = new EmbeddedChannel(CommandDecoder.INSTANCE);
        try {
            ch.writeInbound("hello", "", "   ", "\u001b", "/who", "EXEC 1 ls");
            assertEquals(new ClientCommand.Chat("hello"), ch.readInbound());
            assertEquals(new ClientCommand.Who(), ch.readInbound());
            assertEquals(new ClientCommand.Exec(1, "ls"), ch.readInbound());
            assertNull(ch.readInbound());
        } finally {
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void serverEventDecoderNeverFails() {
        EmbeddedChannel ch = new EmbeddedChannel(ServerEventDecoder.INSTANCE);
        try {
            ch.writeInbound("ID 7", "what is this", "");
            assertEquals(new ServerEvent.IdTick(7), ch.readInbound());
            assertEquals(new ServerEvent.Unparsed("what is this"), ch.readInbound());
            assertEquals(new ServerEvent.Unparsed(""), ch.readInbound());
            assertNull(ch.readInbound());
        } finally {
            assertFalse(ch.finishAndReleaseAll());
        }
    }
}
