package io.hermesnet.jmh;

import io.hermesnet.codec.CommandDecoder;
import io.hermesnet.codec.TelnetLineDecoder;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * The inbound codec: client bytes to a {@link ClientCommand}, per line (ns/op = ns per line).
 *
 * <ul>
 * <li>{@link #decodeFrame}: {@link TelnetLineDecoder#decodeLine} and {@link ProtocolParser#parseCommand}
 *     on one frame (the line without its LF): the codec's own work, no pipeline.</li>
 * <li>{@link #pipelineLine}: one 64-byte read through the server's decoding stages, frame decoder,
 *     line decoder and command decoder, on an {@link EmbeddedChannel}.</li>
 * <li>{@link #pipelineBatch}: one 64 KiB read of {@value #BATCH_LINES} lines through the same stages;
 *     reported per line ({@link OperationsPerInvocation}).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class InboundCodecBenchmark {
    /** Lines in one batch read: 1024 × 64 bytes = 64 KiB. */
    static final int BATCH_LINES = 1024;

    /** {@code chat}: a chat line; {@code command}: a {@code /exec} line with arguments. */
    @Param({"chat", "command"})
    public String kind;

    private ByteBuf frame;
    private ByteBuf line;
    private ByteBuf batch;
    private EmbeddedChannel channel;
    private Class<? extends ClientCommand> expected;

    @Setup
    public void setup() {
        String text = switch (kind) {
            case "chat" -> BenchLines.CHAT;
            case "command" -> BenchLines.COMMAND;
            default -> throw new IllegalArgumentException("kind must be chat or command: " + kind);
        };
        expected = kind.equals("chat") ? ClientCommand.Chat.class : ClientCommand.Exec.class;
        line = BenchLines.wire(text, 1);
        BenchLines.check(line.readableBytes() == BenchLines.WIRE_BYTES, "line is not 64 bytes: " + line.readableBytes());
        frame = line.retainedSlice(0, line.readableBytes() - 1);
        batch = BenchLines.wire(text, BATCH_LINES);
        // the decoding stages of HermesPipeline, in its order, without the handlers behind them
        channel = new EmbeddedChannel(
                HermesPipeline.newFrameDecoder(HermesConfig.DEFAULT_MAX_LINE_BYTES),
                TelnetLineDecoder.INSTANCE,
                CommandDecoder.INSTANCE);

        ClientCommand direct = decodeFrame();
        BenchLines.check(expected.isInstance(direct), "decodeFrame gave " + direct);
        channel.writeInbound(line.retainedDuplicate());
        Object decoded = channel.readInbound();
        BenchLines.check(expected.isInstance(decoded) && channel.readInbound() == null, "pipeline gave " + decoded);
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        frame.release();
        line.release();
        batch.release();
    }

    @Benchmark
    public ClientCommand decodeFrame() {
        return ProtocolParser.parseCommand(TelnetLineDecoder.decodeLine(frame));
    }

    @Benchmark
    public Object pipelineLine() {
        channel.writeInbound(line.retainedDuplicate());
        return channel.readInbound();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_LINES)
    public int pipelineBatch() {
        channel.writeInbound(batch.retainedDuplicate());
        int n = 0;
        while (channel.readInbound() != null) { // the queue's poll is the side effect that keeps the work
            n++;
        }
        BenchLines.check(n == BATCH_LINES, "a batch read gave " + n + " commands");
        return n;
    }
}
