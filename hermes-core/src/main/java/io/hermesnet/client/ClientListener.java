package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;

/**
 * What a client application hears from one connection built by {@link HermesClientPipeline}: every
 * decoded {@link ServerEvent} in the order the server sent it, plus the connection's start and end.
 *
 * <p>Threading: every method is called on the channel's event loop, one call at a time per channel.
 * Implementations must return quickly and never block (hand slow work to another thread); an
 * exception thrown from a callback is treated like any other pipeline error and closes the connection.
 */
public interface ClientListener {

    /**
     * One line from the server, decoded (docs/protocol.md §2). Lines that are not a known event arrive as
     * {@link ServerEvent.Unparsed}. {@link ServerEvent.ExecRequest}s arrive here too; when the pipeline
     * has an {@link ExecResponder}, it has already answered them and {@link #onExecAnswered} follows.
     */
    void onEvent(ServerEvent event);

    /**
     * One server line exactly as received (terminator removed, valid UTF-8), just before it is parsed
     * and handed to {@link #onEvent}. For clients that show the wire itself; the text is the server's,
     * unescaped: escape it before it reaches a terminal or a log.
     */
    default void onLine(String line) {
    }

    /** The connection is established ({@code channelActive}); nothing has been received yet. */
    default void onConnected(Channel channel) {
    }

    /**
     * The pipeline's {@link ExecResponder} answered {@code request} with {@code /result <execId> <result>};
     * {@code result} is the one-line text that was sent.
     */
    default void onExecAnswered(ServerEvent.ExecRequest request, String result) {
    }

    /**
     * A server line was dropped because it could not be decoded: longer than the pipeline's limit, or
     * not valid UTF-8. The connection stays open.
     *
     * @param reason a short human-readable description
     */
    default void onBadLine(String reason) {
    }

    /**
     * The connection is closed ({@code channelInactive}); called once per connection.
     *
     * @param cause the I/O error that ended it (for example a reset by the peer), or {@code null} when
     *              the connection was closed in an orderly way by either side
     */
    default void onDisconnected(Channel channel, Throwable cause) {
    }
}
