package io.hermesnet.protocol;

import java.util.Locale;

/**
 * Why a client left: the {@code <reason>} field of {@code LEAVE <id> <name> <reason>} (docs/protocol.md §2).
 */
public enum LeaveReason {
    /** The client asked to leave ({@code /logout}, {@code /quit}, {@code logout}, {@code exit}, {@code quit}). */
    LOGOUT,
    /** The connection ended by EOF or reset, or the server shut down. */
    CLOSED,
    /** No input for {@code --idle-timeout}. */
    IDLE,
    /** The client did not read fast enough: {@code --max-pending} or {@code --write-timeout} was breached. */
    SENDQ,
    /** An unexpected error on the connection. */
    ERROR,
    /** The server the client was connected to left a cluster (docs/protocol.md §6.4): it stopped heartbeating. */
    NODE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The lower-case word used on the wire. */
    public String wire() {
        return wire;
    }

    /**
     * Parses a wire word.
     *
     * @throws IllegalArgumentException for a word that is not a reason
     */
    public static LeaveReason fromWire(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
