package io.hermesnet.client.cli;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;

/**
 * What the client's main thread waits for: user input (from the console's input thread) and the
 * connection's progress (from the event loop). One queue carries both, so the main thread never blocks
 * on one while the other needs it. Connection signals carry the number of the connection attempt they
 * belong to, so stale ones are ignored after a reconnect.
 */
sealed interface Signal {

    /** A line the user typed or piped in, without its terminator. */
    record Line(String text) implements Signal {
    }

    /** The input ended: Ctrl-D in the console, end of file on piped stdin. */
    record EndOfInput() implements Signal {
    }

    /** Ctrl-C in the console. */
    record Interrupt() implements Signal {
    }

    /** Connection attempt {@code attempt} succeeded. */
    record Connected(int attempt, Channel channel) implements Signal {
    }

    /** Connection attempt {@code attempt} failed before the connection was established. */
    record ConnectFailed(int attempt, Throwable cause) implements Signal {
    }

    /**
     * The connection of attempt {@code attempt} closed.
     *
     * @param byeText   the {@code BYE} text, or {@code null} if the server closed without one
     * @param welcomed  whether the server had admitted the client ({@code WELCOME})
     * @param lastError the last {@code ERROR} line, or {@code null}; explains a refusal such as {@code FULL}
     * @param cause     the I/O error that ended the connection, or {@code null}
     */
    record Disconnected(int attempt, String byeText, boolean welcomed, ServerEvent.Error lastError, Throwable cause)
            implements Signal {
    }

    /**
     * Connection {@code attempt} has its name: the server answered the client's own {@code /nick} (or a
     * free variant of it) with {@code NAME}, or gave up on it; lines held back can be sent now.
     */
    record Named(int attempt) implements Signal {
    }

    /** On connection {@code attempt}, an EXEC sent here got its answer (a RESULT, a refusal, or "no answer"). */
    record ExecSettled(int attempt) implements Signal {
    }

    /** The main thread's deadline (retry delay, wait for {@code BYE}) passed. */
    record Timeout() implements Signal {
    }
}
