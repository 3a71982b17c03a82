package io.hermesnet.jmh;

import io.hermesnet.protocol.ClientCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Keeps the JMH benchmarks honest between benchmark runs: each one sets up (where it checks that its
 * path produces what a client would see), runs a few ops (each checks its own result), and tears down
 * without a leak under the build's paranoid leak detection. Measures nothing.
 */
@Timeout(30)
class BenchmarkSetupTest {

    @Test
    void inboundCodecDecodesEveryLineOfEveryKind() {
        for (String kind : new String[] {"chat", "command"}) {
            InboundCodecBenchmark b = new InboundCodecBenchmark();
            b.kind = kind;
            b.setup();
            try {
                for (int i = 0; i < 3; i++) {
                    Class<? extends ClientCommand> expected = kind.equals("chat") ? ClientCommand.Chat.class
                            : ClientCommand.Exec.class;
                    assertInstanceOf(expected, b.decodeFrame());
                    assertInstanceOf(expected, b.pipelineLine());
                    assertEquals(InboundCodecBenchmark.BATCH_LINES, b.pipelineBatch());
                }
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void outboundEncodeWritesTheMsgLine() {
        OutboundEncodeBenchmark b = new OutboundEncodeBenchmark();
        b.setup();
        String line = "MSG 42 client42 " + BenchLines.CHAT + "\r\n";
        assertEquals(line.length(), b.formatAndEncode());
        assertEquals(line.length(), b.encodeFormatted());
        assertEquals(line.length() - 2, b.format().length());
    }

    @Test
    void broadcastDeliversTheLineToEveryOtherClientEachOp() {
        BroadcastBenchmark b = new BroadcastBenchmark();
        b.clients = 10;
        b.setup();
        try {
            long perClient = ("MSG 1 client1 " + BenchLines.CHAT + "\r\n").length();
            for (int i = 0; i < 3; i++) {
                assertEquals(9 * perClient, b.fanOut());
            }
        } finally {
            b.tearDown();
        }
    }
}
