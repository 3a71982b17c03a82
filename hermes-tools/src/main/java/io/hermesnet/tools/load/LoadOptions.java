package io.hermesnet.tools.load;

import io.hermesnet.server.Transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code hermes-load} run does: immutable, built by {@link #builder()} (the command line fills
 * the builder; tests use it directly). See {@code docs/load.md} for the meaning of every field.
 *
 * @param host           the server's host name or address
 * @param port           the server's TCP port
 * @param clients        subscribers: connections that only read, at least 1
 * @param publishers     connections that publish chat lines (they are clients of the server too);
 *                       0 only with {@code ticks}
 * @param messages       chat lines in total over all publishers; 0 when publishing for {@code duration}
 * @param duration       how long to publish (or, with {@code ticks}, to hold the clients); zero when
 *                       publishing {@code messages}
 * @param rate           chat lines per second over all publishers; 0 = flat out (as fast as the
 *                       server takes them, under TCP backpressure and the window)
 * @param window         flat out only: lines of a publisher in flight (sent, not yet received) per
 *                       subscriber on average; 0 = no window, TCP backpressure only
 * @param payloadBytes   length of each chat line's text in bytes; the marker needs about 40, so smaller
 *                       values give marker-only lines
 * @param ticks          measure the server's {@code ID} ticks on every client (docs/protocol.md §3.2)
 * @param tickInterval   the server's {@code --tick-interval}; the tick delay is measured against it
 * @param connectRate    new connections per second during setup; 0 = all at once
 * @param timeout        bound of the whole run: setup, publishing and the drain
 * @param ioThreads      Netty event loops of the load generator, at least 1
 * @param transport      the I/O transport
 * @param tls            speak TLS to the server (any certificate accepted: a benchmark, not a client to trust)
 * @param webSocket      connect as browsers do: WebSocket to {@code /ws} of the port (the server's {@code --http-port})
 * @param publishPort    0, or the port the publishers connect to over the line protocol (TCP), e.g. the line port
 *                       while {@code webSocket} subscribers use the browser port: only the subscribers' framing differs
 */
public record LoadOptions(String host, int port, int clients, int publishers, long messages, Duration duration,
                          double rate, int window, int payloadBytes, boolean ticks, Duration tickInterval, double connectRate,
                          Duration timeout, int ioThreads, Transport transport, boolean tls,
                          boolean webSocket, int publishPort) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9000;
    public static final int DEFAULT_CLIENTS = 10;
    public static final int DEFAULT_PUBLISHERS = 1;
    public static final long DEFAULT_MESSAGES = 10_000;
    public static final int DEFAULT_PAYLOAD_BYTES = 64;
    /** The longest payload: HermesNet's {@code --max-line} takes sizes, but a load test of MiB lines is not one. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_CONNECT_RATE = 2000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_IO_THREADS = 2;
    /** The window, unless a subscriber's share of it would exceed {@link #DEFAULT_WINDOW_BYTES}. */
    public static final int DEFAULT_WINDOW = 100;
    /** A quarter of the server's default {@code --max-pending}: the default window stays well clear of it. */
    public static final int DEFAULT_WINDOW_BYTES = 256 * 1024;
    /** How long {@code --ticks} holds the clients when neither {@code --duration} nor {@code --messages} is given. */
    public static final Duration DEFAULT_TICKS_DURATION = Duration.ofSeconds(10);

    /**
     * @throws IllegalArgumentException when the fields do not fit together (the message says why)
     */
    public LoadOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(transport, "transport");
        require(port > 0 && port <= 65535, "the port must be 1..65535");
        require(clients >= 1, "--clients must be at least 1");
        require(publishers >= 0, "--publishers must not be negative");
        require(publishers > 0 || ticks, "--publishers 0 needs --ticks: there would be nothing to measure");
        require(messages >= 0 && !duration.isNegative(), "--messages and --duration must not be negative");
        require((messages > 0) != !duration.isZero(), "give either --messages or --duration");
        require(!ticks || messages == 0, "--ticks holds the clients for --duration; --messages does not apply");
        require(Double.isFinite(rate) && rate >= 0, "--rate must be 0 (flat out) or positive");
        require(window >= 0, "--window must be 0 (none) or positive");
        require(payloadBytes >= 1 && payloadBytes <= MAX_PAYLOAD_BYTES, "--size must be 1.." + MAX_PAYLOAD_BYTES);
        require(!ticks || tickInterval.toMillis() >= 1, "--tick-interval must be at least 1ms");
        require(Double.isFinite(connectRate) && connectRate >= 0, "--connect-rate must be 0 (unpaced) or positive");
        require(timeout.toMillis() >= 1, "--timeout must be positive");
        require(duration.compareTo(timeout) < 0, "--timeout must be longer than --duration");
        require(ioThreads >= 1, "--io-threads must be at least 1");
        require(publishPort >= 0 && publishPort <= 65535, "--publish-port must be 1..65535");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the defaults: 10 clients, 1 publisher, 10,000 messages flat out, 64-byte payload. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default window for a payload size: {@link #DEFAULT_WINDOW} lines, fewer for large payloads so
     * that a subscriber's share, counted as in the server's {@code MSG} lines, stays under
     * {@link #DEFAULT_WINDOW_BYTES}.
     */
    public static int defaultWindow(int payloadBytes) {
        return (int) Math.max(1, Math.min(DEFAULT_WINDOW, DEFAULT_WINDOW_BYTES / (payloadBytes + 32L)));
    }

    /** Whether publishers send as fast as the server takes their lines. */
    public boolean flatOut() {
        return rate == 0;
    }

    /** Builds {@link LoadOptions}; not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int clients = DEFAULT_CLIENTS;
        private Integer publishers;
        private long messages = DEFAULT_MESSAGES;
        private boolean messagesSet;
        private Duration duration = Duration.ZERO;
        private double rate;
        private Integer window;
        private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
        private boolean ticks;
        private Duration tickInterval = DEFAULT_TICK_INTERVAL;
        private double connectRate = DEFAULT_CONNECT_RATE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int ioThreads = DEFAULT_IO_THREADS;
        private Transport transport;
        private boolean tls;
        private boolean webSocket;
        private int publishPort;

        private Builder() {
        }

        /**
         * Connect as browsers do (docs/protocol.md §6.3): WebSocket to {@code /ws} of the port (the server's
         * {@code --http-port}), one text frame per line; default the line protocol over TCP.
         */
        public Builder webSocket(boolean v) {
            webSocket = v;
            return this;
        }

        /** The publishers' own port, over the line protocol; 0 (the default): {@link #port}, as the subscribers. */
        public Builder publishPort(int v) {
            publishPort = v;
            return this;
        }

        /** Speak TLS (docs/protocol.md §6.1), accepting any certificate; default plain text. */
        public Builder tls(boolean v) {
            tls = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder clients(int v) {
            clients = v;
            return this;
        }

        /** Publishers; default 1, or 0 with {@link #ticks(boolean) ticks}. */
        public Builder publishers(int v) {
            publishers = v;
            return this;
        }

        /** Publish this many lines in total; clears {@link #duration}. */
        public Builder messages(long v) {
            messages = v;
            messagesSet = true;
            duration = Duration.ZERO;
            return this;
        }

        /**
         * Publish (or hold the clients, with ticks) for this long; clears {@link #messages}. With ticks and
         * neither set, {@link #DEFAULT_TICKS_DURATION}.
         */
        public Builder duration(Duration v) {
            duration = v;
            messages = 0;
            messagesSet = false;
            return this;
        }

        /** Lines per second over all publishers; 0 = flat out. */
        public Builder rate(double v) {
            rate = v;
            return this;
        }

        /** Flat out, lines in flight per subscriber; 0 = none; default {@link #defaultWindow(int)}. */
        public Builder window(int v) {
            window = v;
            return this;
        }

        public Builder payloadBytes(int v) {
            payloadBytes = v;
            return this;
        }

        public Builder ticks(boolean v) {
            ticks = v;
            return this;
        }

        public Builder tickInterval(Duration v) {
            tickInterval = v;
            return this;
        }

        /** Connections per second during setup; 0 = all at once. */
        public Builder connectRate(double v) {
            connectRate = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        /** The transport; default {@link Transport#best()}. */
        public Builder transport(Transport v) {
            transport = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the options do not fit together
         */
        public LoadOptions build() {
            int p = publishers != null ? publishers : ticks ? 0 : DEFAULT_PUBLISHERS;
            long m = messages;
            Duration d = duration;
            if (ticks && d.isZero() && !messagesSet) {
                m = 0;
                d = DEFAULT_TICKS_DURATION;
            }
            int w = window != null ? window : defaultWindow(payloadBytes);
            return new LoadOptions(host, port, clients, p, m, d, rate, w, payloadBytes, ticks,
                    tickInterval, connectRate, timeout, ioThreads, transport != null ? transport : Transport.best(), tls,
                    webSocket, publishPort);
        }
    }
}
