package io.hermesnet.jmh;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.protocol.ProtocolFormatter;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The outbound encode of one {@code MSG} line (ns/op = ns per line): what a broadcast does once per
 * chat line, whatever the number of recipients.
 *
 * <ul>
 * <li>{@link #formatAndEncode}: {@link LineEncoding#encode(ByteBufAllocator, ServerEvent)}, formatting
 *     and UTF-8 + CRLF into a buffer of the pooled allocator, then the release.</li>
 * <li>{@link #encodeFormatted}: the same for the already formatted line: the encoding alone.</li>
 * <li>{@link #format}: {@link ProtocolFormatter#format} alone.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class OutboundEncodeBenchmark {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ServerEvent.Msg msg;
    private String formatted;

    @Setup
    public void setup() {
        msg = new ServerEvent.Msg(42, "client42", BenchLines.CHAT);
        formatted = ProtocolFormatter.format(msg);
        String expected = "MSG 42 client42 " + BenchLines.CHAT + "\r\n";
        ByteBuf buf = LineEncoding.encode(alloc, msg);
        try {
            BenchLines.check(buf.toString(StandardCharsets.UTF_8).equals(expected), "encoded " + buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    @Benchmark
    public int formatAndEncode() {
        ByteBuf buf = LineEncoding.encode(alloc, msg);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public int encodeFormatted() {
        ByteBuf buf = LineEncoding.encode(alloc, formatted);
        int n = buf.readableBytes();
        buf.release();
        return n;
    }

    @Benchmark
    public String format() {
        return ProtocolFormatter.format(msg);
    }
}
