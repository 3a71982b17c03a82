package io.hermesnet.handler;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Flood control (docs/protocol.md §3.11 {@code --max-rate}): a token bucket of {@code maxRate} lines that refills
 * at {@code maxRate} lines per second. A line finding the bucket empty is dropped; the first drop of a
 * burst is answered with one {@code ERROR RATE_LIMITED}, and reading pauses
 * ({@code setAutoRead(false)}) until the next token is due, so a flooder is held back by TCP flow
 * control instead of costing the server CPU. A burst ends when a line is accepted again.
 *
 * <p>Sits right after the frame decoder, so dropped lines are never decoded. Not sharable: holds the
 * channel's bucket; runs on the channel's event loop and reads time from its executor's ticker.
 */
public final class RateLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(RateLimitHandler.class);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int maxRate;
    private final long nanosPerToken;
    private double tokens;
    private long lastRefill;
    private boolean limited;
    private boolean paused;

    /** @param maxRate lines per second, at least 1 */
    public RateLimitHandler(int maxRate) {
        this.maxRate = maxRate;
        this.nanosPerToken = SECOND / maxRate;
        this.tokens = maxRate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRefill = ctx.executor().ticker().nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        if (!(frame instanceof ByteBuf)) {
            ctx.fireChannelRead(frame); // not a line: telnet's interrupt, already a logout (docs/protocol.md §2.2)
            return;
        }
        refill(ctx);
        if (tokens >= 1) {
            tokens -= 1;
            limited = false;
            ctx.fireChannelRead(frame);
            return;
        }
        ReferenceCountUtil.release(frame);
        if (!limited) {
            limited = true;
            log.info(HermesMarkers.STATE, Sessions.event(ctx, "over {} lines/s, dropping lines", maxRate));
            Sessions.reply(ctx, new ServerEvent.Error(ErrorCode.RATE_LIMITED,
                    "more than " + maxRate + " lines per second; lines dropped"));
        }
        pause(ctx);
    }

    private void refill(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime();
        tokens = Math.min(maxRate, tokens + (double) (now - lastRefill) / nanosPerToken);
        lastRefill = now;
    }

    private void pause(ChannelHandlerContext ctx) {
        if (paused) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        long wait = (long) Math.ceil((1 - tokens) * nanosPerToken);
        ctx.executor().schedule(() -> {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }, wait, TimeUnit.NANOSECONDS);
    }
}
