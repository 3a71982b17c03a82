package io.hermesnet.websocket;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The inbound half of the WebSocket framing (docs/protocol.md §6.3): each text message becomes the bytes of
 * its text followed by one LF, handed to the line stages a TCP client has (the frame decoder, the rate
 * limit, the UTF-8 check, …), so a message holding LF is several lines and one over {@code --max-line}
 * gets {@code ERROR LINE_TOO_LONG} as on TCP. A fragmented text message is passed on fragment by
 * fragment, the LF after the last one.
 *
 * <p>Refusals, each with one {@link HermesMarkers#STATE} log line and leave reason {@code error}: a binary
 * message is answered with close code 1003 (unsupported data); a frame the WebSocket decoder refused
 * (over the payload limit: 1009, a protocol violation: 1002) has been answered with its close code by
 * that decoder, and is not passed on as an error to the line stages.
 *
 * <p>Sits right after Netty's {@code WebSocketServerProtocolHandler}, which answers pings and close
 * frames. Not sharable: remembers whether a fragmented message is being received. Event loop only.
 */
public final class TextFrameDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(TextFrameDecoder.class);

    private boolean inText;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused && (msg instanceof TextWebSocketFrame || msg instanceof ContinuationWebSocketFrame
                || msg instanceof BinaryWebSocketFrame)) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof TextWebSocketFrame text) {
            inText = !text.isFinalFragment();
            pass(ctx, text.content(), text.isFinalFragment());
            text.release();
        } else if (msg instanceof ContinuationWebSocketFrame more && inText) {
            inText = !more.isFinalFragment();
            pass(ctx, more.content(), more.isFinalFragment());
            more.release();
        } else if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ReferenceCountUtil.release(msg);
            refuse(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static void pass(ChannelHandlerContext ctx, ByteBuf text, boolean last) {
        int n = text.readableBytes();
        if (n == 0 && !last) {
            return;
        }
        ByteBuf bytes = ctx.alloc().buffer(last ? n + 1 : n);
        bytes.writeBytes(text, text.readerIndex(), n);
        if (last) {
            bytes.writeByte('\n');
        }
        ctx.fireChannelRead(bytes);
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        log.info(HermesMarkers.STATE, "{}: binary WebSocket message, closing with 1003", WebSocketLog.describe(ctx.channel()));
        ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.ERROR);
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "text messages only"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            if (!refused) {
                refused = true;
                log.info(HermesMarkers.STATE, "{}: WebSocket frame refused ({}), closing with {}",
                        WebSocketLog.describe(ctx.channel()), bad.getMessage(), bad.closeStatus().code());
                ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.ERROR);
            }
            return; // the decoder has sent the close frame and closes the channel
        }
        ctx.fireExceptionCaught(cause);
    }
}
