package io.hermesnet.handler;

import io.hermesnet.codec.ProtocolException;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * The last inbound handler: answers what no handler before it took, and every exception.
 * <ul>
 * <li>{@link ClientCommand.Unknown} → {@code ERROR UNKNOWN_COMMAND} naming the verb;
 *     {@link ClientCommand.Malformed} → its {@code ERROR};</li>
 * <li>codec refusals (over-long line, bad UTF-8) → {@code ERROR LINE_TOO_LONG} / {@code ERROR
 *     BAD_ENCODING}; the connection stays open (docs/protocol.md §3.11);</li>
 * <li>I/O errors (reset by peer, broken pipe) close the connection with reason {@code closed}, and are
 *     logged once per connection: one {@code STATE} line at INFO, without a stack trace. A reset peer
 *     typically fails the read and then every write still queued for it, each firing its own
 *     exception; the repeats go to DEBUG;</li>
 * <li>any other exception is logged with the channel and closes only that connection, with reason
 *     {@code error}.</li>
 * </ul>
 * Sharable: the once-per-connection mark is a channel attribute.
 */
@Sharable
public final class ErrorHandler extends ChannelInboundHandlerAdapter {
    /** The commands a client may send, for the {@code UNKNOWN_COMMAND} hint: the slash commands of {@code /help}. */
    static final String COMMANDS = HelpHandler.ENTRIES.stream()
            .map(ServerEvent.HelpEntry::command)
            .filter(c -> c.startsWith("/"))
            .collect(java.util.stream.Collectors.joining(" "));

    private static final Logger log = LogManager.getLogger(ErrorHandler.class);

    /** Set on a channel once its first I/O error has been logged. */
    private static final AttributeKey<Boolean> IO_ERROR_LOGGED = AttributeKey.valueOf(ErrorHandler.class, "ioErrorLogged");

    /** The shared instance. */
    public static final ErrorHandler INSTANCE = new ErrorHandler();

    private ErrorHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ClientCommand.Unknown unknown) {
            Sessions.reply(ctx, new ServerEvent.Error(ErrorCode.UNKNOWN_COMMAND,
                    "/" + unknown.verb() + " is not a command; try " + COMMANDS));
        } else if (msg instanceof ClientCommand.Malformed bad) {
            Sessions.reply(ctx, new ServerEvent.Error(bad.code(), bad.text()));
        } else {
            log.debug(HermesMarkers.STATE, "{}: no handler took {}", Sessions.describe(ctx), msg);
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException bad) {
            refuse(ctx, bad.code(), bad.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            // Netty's frame decoder has already discarded the line (and discards the rest of it).
            refuse(ctx, ErrorCode.LINE_TOO_LONG, "line longer than the limit was discarded");
        } else if (cause instanceof ClosedChannelException) {
            log.debug(HermesMarkers.STATE, "{}: write after close", Sessions.describe(ctx));
        } else if (cause instanceof IOException) {
            if (ctx.channel().attr(IO_ERROR_LOGGED).setIfAbsent(Boolean.TRUE) == null) {
                log.info(HermesMarkers.STATE, Sessions.event(ctx, "{}", messageOf(cause)));
            } else {
                log.debug(HermesMarkers.STATE, "{}: again {}", Sessions.describe(ctx), messageOf(cause));
            }
            ctx.close();
        } else {
            log.warn(HermesMarkers.STATE, Sessions.event(ctx, "unexpected error, closing the connection", cause));
            ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.ERROR);
            ctx.close();
        }
    }

    /** The exception's message, or its class when it has none (a stack trace says nothing more here). */
    private static String messageOf(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    }

    private static void refuse(ChannelHandlerContext ctx, ErrorCode code, String text) {
        log.info(HermesMarkers.STATE, Sessions.event(ctx, "{} {}", code, text));
        Sessions.reply(ctx, new ServerEvent.Error(code, text));
    }

}
