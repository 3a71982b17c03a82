package io.hermesnet.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a browser listener (docs/protocol.md §6.3) serves its WebSocket endpoint: the path, which page
 * origins may open it, and how long a connection may take to upgrade.
 *
 * <p>The origin rule: an upgrade without an {@code Origin} header (a program, not a browser) is
 * accepted; with one, it must be listed in {@link #origins()}, or, when that list is empty, be the
 * listener's own origin, the scheme of the listener ({@code http}, {@code https} with TLS) and the
 * request's {@code Host}; {@code *} in the list accepts every origin. Origins compare ignoring case,
 * a default port ({@code :80} for http, {@code :443} for https) written or not.
 *
 * @param path             the WebSocket endpoint's path, e.g. {@code /ws}; the request target must be exactly it
 * @param origins          normalized origins ({@code scheme://host[:port]}, lower case) or {@code *}; empty: the
 *                         page's own origin only
 * @param handshakeTimeout longest a connection may stay HTTP without a request (and then without a finished
 *                         upgrade) before it is closed; positive
 */
public record WebSocketSettings(String path, List<String> origins, Duration handshakeTimeout) {
    /** The endpoint's default path. */
    public static final String DEFAULT_PATH = "/ws";
    /** The default handshake timeout: 10 s, as for a TLS handshake (docs/protocol.md §6.1). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The origin that accepts every origin. */
    public static final String ANY_ORIGIN = "*";

    /** The defaults: {@code /ws}, the page's own origin only, 10 s to upgrade. */
    public static final WebSocketSettings DEFAULT = new WebSocketSettings(DEFAULT_PATH, List.of(), DEFAULT_HANDSHAKE_TIMEOUT);

    public WebSocketSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path starts with /: " + path);
        }
        origins = origins.stream().map(WebSocketSettings::normalize).toList();
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive: " + handshakeTimeout);
        }
    }

    /**
     * These settings with the origins of a comma-separated list, e.g.
     * {@code https://chat.example.org,http://localhost:8080} or {@code *}; blank entries are skipped, and an
     * empty list means the page's own origin.
     *
     * @throws IllegalArgumentException for an entry that is not {@code *} nor {@code http(s)://host[:port]}
     */
    public WebSocketSettings withOrigins(String commaList) {
        List<String> list = new ArrayList<>();
        for (String s : commaList.split(",")) {
            if (!s.isBlank()) {
                list.add(s.strip());
            }
        }
        return new WebSocketSettings(path, list, handshakeTimeout);
    }

    /** These settings with another handshake timeout. */
    public WebSocketSettings withHandshakeTimeout(Duration timeout) {
        return new WebSocketSettings(path, origins, timeout);
    }

    /**
     * Whether an upgrade from a page of {@code origin} may open the endpoint (the rule in the class comment).
     *
     * @param origin the request's {@code Origin} header, or {@code null} when it has none
     * @param host   the request's {@code Host} header, or {@code null}
     * @param tls    whether the listener speaks TLS
     */
    public boolean allows(String origin, String host, boolean tls) {
        if (origin == null) {
            return true;
        }
        if (origins.contains(ANY_ORIGIN)) {
            return true;
        }
        String o = withoutDefaultPort(origin.strip().toLowerCase(Locale.ROOT));
        if (!origins.isEmpty()) {
            return origins.contains(o);
        }
        return host != null && o.equals(withoutDefaultPort((tls ? "https://" : "http://") + host.strip().toLowerCase(Locale.ROOT)));
    }

    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (o.equals(ANY_ORIGIN)) {
            return o;
        }
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        int scheme = o.startsWith("http://") ? 7 : o.startsWith("https://") ? 8 : -1;
        if (scheme < 0 || o.length() == scheme || o.indexOf('/', scheme) >= 0 || o.contains("?") || o.contains("#")) {
            throw new IllegalArgumentException("an origin is * or http(s)://host[:port], without a path: " + origin);
        }
        return withoutDefaultPort(o);
    }

    private static String withoutDefaultPort(String origin) {
        if (origin.startsWith("http://") && origin.endsWith(":80")) {
            return origin.substring(0, origin.length() - 3);
        }
        if (origin.startsWith("https://") && origin.endsWith(":443")) {
            return origin.substring(0, origin.length() - 4);
        }
        return origin;
    }
}
