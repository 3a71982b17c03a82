package io.hermesnet.protocol;

/**
 * The codes of {@code ERROR <CODE> <text>} lines (docs/protocol.md §2): why the server refused a request.
 */
public enum ErrorCode {
    /** A {@code /verb} the server does not know; the text names the verb. */
    UNKNOWN_COMMAND,
    /** A command whose arguments are missing or malformed; the text gives the usage. */
    BAD_ARGS,
    /** An EXEC the issuer's rank does not allow (docs/protocol.md §3.6). */
    FORBIDDEN,
    /** An EXEC to a rank no connected client holds. */
    NO_SUCH_RANK,
    /** A {@code /nick} naming a name another client holds. */
    NAME_TAKEN,
    /** A {@code /msg} to a name no connected client (of the sender's room, with rooms on) holds. */
    NO_SUCH_NAME,
    /** A {@code /result} for an unknown EXEC id, or from a client that is not that EXEC's target. */
    NO_SUCH_EXEC,
    /** Admission refused: the server or the caller's IP is at its connection limit. */
    FULL,
    /** A line longer than {@code --max-line} bytes was discarded. */
    LINE_TOO_LONG,
    /** A line that is not valid UTF-8 was discarded. */
    BAD_ENCODING,
    /** Chat in a room that is not complete yet (docs/protocol.md §3.7). */
    NOT_READY,
    /** Chat out of turn in turn mode (docs/protocol.md §3.7). */
    NOT_YOUR_TURN,
    /** Lines over {@code --max-rate} were dropped. */
    RATE_LIMITED
}
