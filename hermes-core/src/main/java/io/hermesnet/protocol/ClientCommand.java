package io.hermesnet.protocol;

import java.util.Objects;

/**
 * One decoded client line (docs/protocol.md §2 "Client → server"). Lines are parsed once, by
 * {@link ProtocolParser#parseCommand}, into these immutable types; each server handler consumes the
 * types of its concern and lets the rest flow on.
 */
public sealed interface ClientCommand {

    /** A chat line; {@code text} is already sanitized (docs/protocol.md §3.4) and never empty. */
    record Chat(String text) implements ClientCommand {
        public Chat {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /nick <name>}; the name is well-formed and not reserved. */
    record Nick(String name) implements ClientCommand {
        public Nick {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code /who}. */
    record Who() implements ClientCommand {
    }

    /** {@code /help} (docs/protocol.md §2.5). */
    record Help() implements ClientCommand {
    }

    /**
     * {@code /msg <name> <text>}: a private line to one client (docs/protocol.md §2.5).
     *
     * @param name the target's name as written (matched ignoring case), well-formed
     * @param text the sanitized text, never empty
     */
    record Msg(String name, String text) implements ClientCommand {
        public Msg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /rank}. */
    record RankQuery() implements ClientCommand {
    }

    /**
     * {@code /exec <rank> <command…>} or the bare {@code EXEC <rank> <command…>}.
     *
     * @param targetRank the rank the command is for, non-negative; a rank written with more digits than a
     *                   {@code long} holds is {@link Long#MAX_VALUE}, which no client holds either
     *                   (docs/protocol.md §3.6: any well-formed rank nobody holds is {@code NO_SUCH_RANK})
     * @param command    the sanitized command text, never empty
     */
    record Exec(long targetRank, String command) implements ClientCommand {
        public Exec {
            if (targetRank < 0) {
                throw new IllegalArgumentException("targetRank < 0: " + targetRank);
            }
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * {@code /result <execId> <text>}: a target's answer to an EXEC.
     *
     * @param text the sanitized answer, possibly empty
     */
    record Result(long execId, String text) implements ClientCommand {
        public Result {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /logout}, {@code /quit}, or the whole lines {@code logout}, {@code exit}, {@code quit}. */
    record Logout() implements ClientCommand {
    }

    /** A {@code /verb} the server does not know; {@code verb} is in lower case, without the slash. */
    record Unknown(String verb) implements ClientCommand {
        public Unknown {
            Objects.requireNonNull(verb, "verb");
        }
    }

    /** A known command whose arguments are wrong: answered with {@code ERROR <code> <text>}. */
    record Malformed(ErrorCode code, String text) implements ClientCommand {
        public Malformed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
        }
    }
}
