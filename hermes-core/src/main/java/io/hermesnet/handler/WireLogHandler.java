package io.hermesnet.handler;

import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.LogGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;

/**
 * The RX and TX log lines of docs/protocol.md "Logging": each received line at INFO
 * ({@code [Client 3] hello}), each sent line at DEBUG. The line is logged as it is: the apps' log
 * layouts escape every control character of a message ({@code %esc}, {@link io.hermesnet.internal.logging.EscapingConverter},
 * or the JSON layout), so escaping is done once, where the line is written, not at each call site.
 *
 * <p>RX: an inbound stage between the line decoder and the command decoder, seeing decoded
 * {@code String}s. TX: not a pipeline stage but the {@link WriteCoalescingHandler}'s
 * {@link WriteCoalescingHandler.SentLineListener}, called for every line the coalescer takes,
 * whether it came down the pipeline or was appended by the fan-out. So no outbound stage sits between
 * the coalescer and the tail, and the fan-out's direct append stays on at every log level.
 *
 * <p>Every line first asks the server's {@link LogGate}: when the asynchronous log queue is full the
 * line is counted and dropped before anything of it is built. Left out of the pipeline with
 * {@code --quiet}. Sharable; any event loop.
 */
@Sharable
public final class WireLogHandler extends ChannelInboundHandlerAdapter implements WriteCoalescingHandler.SentLineListener {
    private static final Logger log = LogManager.getLogger(WireLogHandler.class);

    private final LogGate gate;

    /** A wire log whose lines pass {@code gate}. */
    public WireLogHandler(LogGate gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof String line && log.isInfoEnabled(HermesMarkers.RX) && gate.admit()) {
            log.info(HermesMarkers.RX, "[{}] {}", Sessions.describe(ctx.channel()), line);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The TX listener for a new channel's write coalescer: this handler while TX lines are enabled
     * (DEBUG), else null. Asked once per connection, so the fan-out pays no per-recipient level check
     * when TX lines are off; a level changed at run time applies to later connections.
     */
    public WriteCoalescingHandler.SentLineListener txListener() {
        return log.isDebugEnabled(HermesMarkers.TX) ? this : null;
    }

    /** Logs each CRLF- or LF-terminated line of {@code lines} as TX, without changing the buffer. */
    @Override
    public void sent(Channel channel, ByteBuf lines) {
        if (!log.isDebugEnabled(HermesMarkers.TX)) {
            return;
        }
        int from = lines.readerIndex();
        int end = lines.writerIndex();
        while (from < end) {
            int lf = lines.indexOf(from, end, (byte) '\n');
            int next = lf < 0 ? end : lf + 1;
            int stop = lf < 0 ? end : lf > from && lines.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            if (gate.admit()) {
                log.debug(HermesMarkers.TX, "[{}] {}", Sessions.describe(channel),
                        lines.toString(from, stop - from, StandardCharsets.UTF_8));
            }
            from = next;
        }
    }
}
