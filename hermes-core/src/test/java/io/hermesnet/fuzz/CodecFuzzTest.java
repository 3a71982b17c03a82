package io.hermesnet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hermesnet.codec.ProtocolException;
import io.hermesnet.codec.TelnetLineDecoder;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.Names;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz target for the inbound codec: the server pipeline's frame decoder ({@link HermesPipeline#newFrameDecoder}),
 * {@link TelnetLineDecoder} and {@link ProtocolParser#parseCommand}, over arbitrary bytes delivered in
 * fuzzer-chosen chunks. It asserts that
 * <ul>
 * <li>the only exceptions are the documented refusals: {@link TooLongFrameException} (over-long line)
 *     and {@link ProtocolException} {@code BAD_ENCODING};</li>
 * <li>a line handed on is at most {@code --max-line} bytes and holds no line feed; every command the
 *     parser makes of it is well-formed (sanitized chat and EXEC text, well-formed names);</li>
 * <li>lines and refusals do not depend on how the input was split (TCP may split it anywhere);</li>
 * <li>every buffer is released.</li>
 * </ul>
 * Without {@code JAZZER_FUZZ} it replays the saved inputs under {@code CodecFuzzTestInputs} as ordinary
 * tests; see docs/fuzzing.md.
 */
class CodecFuzzTest {

    @FuzzTest
    void frameDecoderLineDecoderAndParser(FuzzedDataProvider data) {
        int maxLine = data.consumeInt(1, 48);
        int[] chunkSizes = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < chunkSizes.length; i++) {
            chunkSizes[i] = data.consumeInt(0, 80);
        }
        byte[] stream = data.consumeRemainingAsBytes();

        List<String> whole = decode(maxLine, List.of(stream));
        List<String> split = decode(maxLine, chunks(stream, chunkSizes));
        assertEquals(whole, split, "lines and refusals depend on where the input was split");
    }

    /** {@code stream} cut into pieces of the given sizes (the last piece takes the rest). */
    private static List<byte[]> chunks(byte[] stream, int[] sizes) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            int to = Math.min(stream.length, from + size);
            out.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        out.add(Arrays.copyOfRange(stream, from, stream.length));
        return out;
    }

    /** Runs the chunks through the codec; returns what came out, lines and refusals in order. */
    private static List<String> decode(int maxLine, List<byte[]> chunks) {
        TrackingAllocator alloc = new TrackingAllocator();
        Sink sink = new Sink(maxLine);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(HermesPipeline.newFrameDecoder(maxLine), TelnetLineDecoder.INSTANCE, sink);
        for (byte[] chunk : chunks) {
            ch.writeInbound(alloc.buffer(chunk.length).writeBytes(chunk));
        }
        ch.finishAndReleaseAll();
        if (!sink.unexpected.isEmpty()) {
            AssertionError e = new AssertionError("unexpected exception from the codec", sink.unexpected.get(0));
            sink.unexpected.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        assertEquals(0, alloc.unreleased(), "buffers not released, of " + alloc.allocated());
        return sink.events;
    }

    /** The end of the test pipeline: checks each line and records lines and refusals. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        private final int maxLine;
        final List<String> events = new ArrayList<>();
        final List<Throwable> unexpected = new ArrayList<>();

        Sink(int maxLine) {
            this.maxLine = maxLine;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof String line)) {
                fail("the line decoder passed on " + msg);
                return;
            }
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= maxLine, "line longer than --max-line");
            assertFalse(line.indexOf('\n') >= 0, "line feed inside a line");
            checkCommand(ProtocolParser.parseCommand(line));
            events.add("LINE " + line);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                events.add("ERROR " + ErrorCode.LINE_TOO_LONG);
            } else if (cause instanceof ProtocolException p && p.code() == ErrorCode.BAD_ENCODING) {
                events.add("ERROR " + p.code());
            } else {
                unexpected.add(cause);
            }
        }
    }

    static void checkCommand(ClientCommand command) {
        if (command instanceof ClientCommand.Chat chat) {
            assertFalse(chat.text().isBlank(), "blank chat is ignored, never relayed");
            assertSanitized(chat.text());
        } else if (command instanceof ClientCommand.Nick nick) {
            assertTrue(Names.isWellFormed(nick.name()) && !Names.isReserved(nick.name()), nick.name());
        } else if (command instanceof ClientCommand.Exec exec) {
            assertTrue(exec.targetRank() >= 0);
            assertFalse(exec.command().isEmpty());
            assertSanitized(exec.command());
        } else if (command instanceof ClientCommand.Result result) {
            assertTrue(result.execId() >= 0);
            assertSanitized(result.text());
        } else if (command instanceof ClientCommand.Unknown unknown) {
            assertSanitized(unknown.verb());
        }
    }

    /** docs/protocol.md §3.4: no C0 control but TAB, no DEL, no C1 control. */
    static void assertSanitized(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f) {
                fail(String.format("control character U+%04X in relayed text %s", (int) c, text));
            }
        }
    }
}
