package io.hermesnet.client.cli;

import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.Objects;

/**
 * What one run of {@code hermes-client} does, filled from the command line.
 *
 * @param host              the server's host name or address
 * @param port              the server's TCP port, 1..65535
 * @param name              the name sent with {@code /nick} right after connecting
 * @param reconnect         whether to retry a failed or lost connection
 * @param reconnectAttempts most retries in a row, {@link #UNLIMITED} for no limit; a connection that got
 *                          {@code WELCOME} starts the count anew
 * @param connectTimeout    longest wait for one TCP connect
 * @param quitTimeout       longest wait for {@code BYE} after logging out
 * @param replyTimeout      longest wait for the answer to the client's own {@code /nick}, and, with piped
 *                          input, for the answers to the EXECs sent before logging out
 * @param tls               the TLS context of {@code --tls} ({@link ClientTls}), or {@code null} for plain text
 */
record ClientOptions(String host, int port, String name, boolean reconnect, int reconnectAttempts,
                     Duration connectTimeout, Duration quitTimeout, Duration replyTimeout, SslContext tls) {
    /** {@link #reconnectAttempts}: retry until the user leaves. */
    static final int UNLIMITED = Integer.MAX_VALUE;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_QUIT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** Options for a plain-text connection with the default reply timeout. */
    ClientOptions(String host, int port, String name, boolean reconnect, int reconnectAttempts,
                  Duration connectTimeout, Duration quitTimeout) {
        this(host, port, name, reconnect, reconnectAttempts, connectTimeout, quitTimeout, DEFAULT_REPLY_TIMEOUT, null);
    }

    ClientOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(quitTimeout, "quitTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
    }

    /** {@code host:port} as the user wrote it, for messages. */
    String target() {
        return (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + port;
    }
}
