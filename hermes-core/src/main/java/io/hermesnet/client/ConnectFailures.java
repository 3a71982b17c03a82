package io.hermesnet.client;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * How HermesNet's commands (hermes-client, hermes-load) word a failed or lost connection in their one
 * error line: a short lower-case reason such as {@code connection refused}, {@code unknown host},
 * {@code timed out} — never the exception's class or Netty's {@code finishConnect(..)} text, and without
 * the {@code : /ip:port} Netty appends (the line names the target already). Stateless.
 */
public final class ConnectFailures {
    private ConnectFailures() {
    }

    /** The reason for {@code cause}; never {@code null}. */
    public static String describe(Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            return "TLS: " + tls.getMessage(); // e.g. the server's certificate is not trusted or names another host
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof ConnectTimeoutException) {
            return "timed out";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && m.contains("refused")) {
            return "connection refused"; // NIO's "Connection refused" and epoll's "finishConnect(..) failed with error(-111): …"
        }
        if (m.contains("connection reset")) {
            return "connection reset";
        }
        int colon = m.indexOf(": /");
        return colon > 0 ? m.substring(0, colon) : m;
    }
}
