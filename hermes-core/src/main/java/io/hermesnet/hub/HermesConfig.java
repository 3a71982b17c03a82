package io.hermesnet.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's settings (docs/protocol.md §3 and §4): an immutable record with a {@link Builder} and the
 * {@code DEFAULT_*} values of the command line. Handlers read only this object. A zero
 * {@link Duration} or a zero count means "off" where the field says so.
 *
 * @param maxClients      most clients connected at once (docs/protocol.md §3.1), at least 1
 * @param tickInterval    period of the {@code ID} ticker (docs/protocol.md §3.2); zero disables ticks
 * @param roomSize        members per room (docs/protocol.md §3.7); 0 means one global room
 * @param turns           half-duplex turns in each room (docs/protocol.md §3.7); needs {@code roomSize >= 2}
 * @param echo            send a client's own chat line back as {@code ECHO} (docs/protocol.md §3.4)
 * @param maxLineBytes    longest accepted client line in bytes, terminator excluded (docs/protocol.md §3.11)
 * @param maxPendingBytes most outbound bytes queued for one client before it is cut with {@code sendq}
 * @param writeTimeout    longest a client may stay unwritable before it is cut with {@code sendq}; zero is off
 * @param idleTimeout     a client sending nothing for this long is cut with {@code idle}; zero is off
 * @param maxRate         most lines per second accepted from one client; 0 is off
 * @param maxPerIp        most concurrent connections from one IP address; 0 is off
 * @param shutdownTimeout longest a graceful shutdown waits for clients to take their {@code BYE}
 * @param presenceDelay   longest a presence line ({@code JOIN}, {@code LEAVE}, {@code CLIENTS}, a
 *                        promotion's {@code RANK}) may wait in a client's batch for others to share its
 *                        flush; zero flushes at once. Every join or leave sends a line to every client, so
 *                        a storm of n joins costs n² writes to the sockets without it
 * @param execTimeout     longest an allowed EXEC waits for its {@code /result}; then the issuer gets
 *                        {@code ERROR NO_SUCH_EXEC <execId> no answer} (docs/protocol.md §3.6); zero is off
 * @param quiet           drop the RX, TX and BROADCAST log lines (docs/protocol.md §3.10)
 * @param welcomeText     the free text of the {@code WELCOME} line
 */
public record HermesConfig(
        int maxClients,
        Duration tickInterval,
        int roomSize,
        boolean turns,
        boolean echo,
        int maxLineBytes,
        long maxPendingBytes,
        Duration writeTimeout,
        Duration idleTimeout,
        int maxRate,
        int maxPerIp,
        Duration shutdownTimeout,
        Duration presenceDelay,
        Duration execTimeout,
        boolean quiet,
        String welcomeText) {

    public static final int DEFAULT_MAX_CLIENTS = 6;
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_ROOM_SIZE = 0;
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;
    public static final long DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;
    public static final int DEFAULT_MAX_RATE = 0;
    public static final int DEFAULT_MAX_PER_IP = 0;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Zero: the library flushes presence lines like any other; the hermes-server command line sets 100 ms. */
    public static final Duration DEFAULT_PRESENCE_DELAY = Duration.ZERO;
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_WELCOME_TEXT = "Welcome to HermesNet!";

    /** The defaults of docs/protocol.md §4. */
    public static final HermesConfig DEFAULT = builder().build();

    /**
     * @throws IllegalArgumentException for a value out of range
     */
    public HermesConfig {
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(presenceDelay, "presenceDelay");
        Objects.requireNonNull(execTimeout, "execTimeout");
        Objects.requireNonNull(welcomeText, "welcomeText");
        require(maxClients >= 1, "maxClients must be at least 1");
        require(roomSize >= 0 && roomSize != 1, "roomSize must be 0 (off) or at least 2");
        require(!turns || roomSize >= 2, "turns need roomSize >= 2");
        require(maxLineBytes >= 1, "maxLineBytes must be at least 1");
        require(maxPendingBytes >= 1, "maxPendingBytes must be at least 1");
        require(maxRate >= 0, "maxRate must not be negative");
        require(maxPerIp >= 0, "maxPerIp must not be negative");
        require(!tickInterval.isNegative() && !writeTimeout.isNegative() && !idleTimeout.isNegative()
                && !shutdownTimeout.isNegative() && !presenceDelay.isNegative() && !execTimeout.isNegative(), "durations must not be negative");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether rooms are on ({@code roomSize >= 2}). */
    public boolean roomsEnabled() {
        return roomSize > 0;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .maxClients(maxClients).tickInterval(tickInterval).roomSize(roomSize).turns(turns).echo(echo)
                .maxLineBytes(maxLineBytes).maxPendingBytes(maxPendingBytes).writeTimeout(writeTimeout)
                .idleTimeout(idleTimeout).maxRate(maxRate).maxPerIp(maxPerIp).shutdownTimeout(shutdownTimeout)
                .presenceDelay(presenceDelay).execTimeout(execTimeout).quiet(quiet).welcomeText(welcomeText);
    }

    /** Fills a {@link HermesConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxClients = DEFAULT_MAX_CLIENTS;
        private Duration tickInterval = DEFAULT_TICK_INTERVAL;
        private int roomSize = DEFAULT_ROOM_SIZE;
        private boolean turns;
        private boolean echo;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxRate = DEFAULT_MAX_RATE;
        private int maxPerIp = DEFAULT_MAX_PER_IP;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration presenceDelay = DEFAULT_PRESENCE_DELAY;
        private Duration execTimeout = DEFAULT_EXEC_TIMEOUT;
        private boolean quiet;
        private String welcomeText = DEFAULT_WELCOME_TEXT;

        private Builder() {
        }

        public Builder maxClients(int v) {
            maxClients = v;
            return this;
        }

        public Builder tickInterval(Duration v) {
            tickInterval = v;
            return this;
        }

        public Builder roomSize(int v) {
            roomSize = v;
            return this;
        }

        public Builder turns(boolean v) {
            turns = v;
            return this;
        }

        public Builder echo(boolean v) {
            echo = v;
            return this;
        }

        public Builder maxLineBytes(int v) {
            maxLineBytes = v;
            return this;
        }

        public Builder maxPendingBytes(long v) {
            maxPendingBytes = v;
            return this;
        }

        public Builder writeTimeout(Duration v) {
            writeTimeout = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder maxRate(int v) {
            maxRate = v;
            return this;
        }

        public Builder maxPerIp(int v) {
            maxPerIp = v;
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = v;
            return this;
        }

        /** {@link HermesConfig#execTimeout()}; zero is off. */
        public Builder execTimeout(Duration v) {
            execTimeout = v;
            return this;
        }

        public Builder presenceDelay(Duration v) {
            presenceDelay = v;
            return this;
        }

        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        public Builder welcomeText(String v) {
            welcomeText = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a value out of range
         */
        public HermesConfig build() {
            return new HermesConfig(maxClients, tickInterval, roomSize, turns, echo, maxLineBytes, maxPendingBytes,
                    writeTimeout, idleTimeout, maxRate, maxPerIp, shutdownTimeout, presenceDelay, execTimeout, quiet, welcomeText);
        }
    }
}
