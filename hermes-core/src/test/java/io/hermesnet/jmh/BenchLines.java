package io.hermesnet.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/** The client lines the benchmarks send, and the helpers they share. Test-thread only. */
final class BenchLines {
    /** A chat line: 63 bytes of text, 64 on the wire with its LF. */
    static final String CHAT = "hello everyone, this chat line is 64 bytes long with its LF, ok";
    /** A /command line with arguments (an EXEC): 63 bytes, 64 on the wire with its LF. */
    static final String COMMAND = "/exec 2 df -h /var/log && uptime && echo all-the-checks-done-ok";
    /** Wire bytes of one line, LF included. */
    static final int WIRE_BYTES = 64;

    private BenchLines() {
    }

    /** {@code text} in UTF-8 followed by LF, {@code times} over, in a pooled direct buffer as a socket read fills. */
    static ByteBuf wire(String text, int times) {
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(line.length * times);
        for (int i = 0; i < times; i++) {
            buf.writeBytes(line);
        }
        return buf;
    }

    /**
     * Runs the channel's pending tasks (the flushes a fan-out scheduled on its event loop), then takes
     * and releases everything it wrote out.
     *
     * @return the bytes written out
     */
    static long drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        long bytes = 0;
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }
        return bytes;
    }

    /** As {@link #drain}, but returns what was written out as text. */
    static String drainText(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            if (msg instanceof ByteBuf buf) {
                sb.append(buf.toString(StandardCharsets.UTF_8));
            } else {
                sb.append("<not a ByteBuf: ").append(msg.getClass().getName()).append('>');
            }
            ReferenceCountUtil.release(msg);
        }
        return sb.toString();
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
