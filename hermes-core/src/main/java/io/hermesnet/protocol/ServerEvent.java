package io.hermesnet.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One server → client line (docs/protocol.md §2). Formatted in one place, {@link ProtocolFormatter}, and parsed
 * back by {@link ProtocolParser#parseEvent} on the client side. Every {@code text} field is the free
 * text at the end of the line; every name and id is a single word.
 */
public sealed interface ServerEvent {

    /** {@code WELCOME <id> <name> <rank> <text>}: the first line after admission. */
    record Welcome(long id, String name, int rank, String text) implements ServerEvent {
        public Welcome {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code ID <n>}: one tick of the server-wide unsigned 32-bit counter, {@code 0..4294967295}. */
    record IdTick(long value) implements ServerEvent {
        public IdTick {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("not an unsigned 32-bit value: " + value);
            }
        }
    }

    /** {@code CLIENTS <count>}: the number of connected clients after a join or a leave. */
    record Clients(int count) implements ServerEvent {
    }

    /** {@code JOIN <id> <name>}: another client joined. */
    record Join(long id, String name) implements ServerEvent {
        public Join {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code LEAVE <id> <name> <reason>}: another client left. */
    record Leave(long id, String name, LeaveReason reason) implements ServerEvent {
        public Leave {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code MSG <id> <name> <text>}: a chat line from another client. */
    record Msg(long id, String name, String text) implements ServerEvent {
        public Msg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code DM <id> <name> <text>}: a private line ({@code /msg}) from another client, to this client only. */
    record Dm(long id, String name, String text) implements ServerEvent {
        public Dm {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code ECHO <text>}: with {@code --echo}, the client's own chat line back to it. */
    record Echo(String text) implements ServerEvent {
        public Echo {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code RANK <rank>}: the client's rank, after a change or as the answer to {@code /rank}. */
    record Rank(int rank) implements ServerEvent {
    }

    /** {@code NAME <name>}: the client's own name was set. */
    record Name(String name) implements ServerEvent {
        public Name {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code RENAME <id> <old> <new>}: another client's name changed. */
    record Rename(long id, String oldName, String newName) implements ServerEvent {
        public Rename {
            Objects.requireNonNull(oldName, "oldName");
            Objects.requireNonNull(newName, "newName");
        }
    }

    /**
     * {@code WHO <id> <name> <rank> <room> <address>}: one row of the answer to {@code /who}.
     *
     * @param room    the room id, or {@link #NO_ROOM} ({@code -} on the wire) when rooms are off
     * @param address the remote {@code ip:port}
     */
    record WhoEntry(long id, String name, int rank, long room, String address) implements ServerEvent {
        /** The room value written as {@code -}: rooms are off. */
        public static final long NO_ROOM = 0;

        public WhoEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    /** {@code END WHO <count>}: the end of a {@code /who} answer. */
    record WhoEnd(int count) implements ServerEvent {
    }

    /** {@code EXEC <execId> <fromRank> <fromName> <command>}: to the target of an allowed EXEC. */
    record ExecRequest(long execId, int fromRank, String fromName, String command) implements ServerEvent {
        public ExecRequest {
            Objects.requireNonNull(fromName, "fromName");
            Objects.requireNonNull(command, "command");
        }
    }

    /** {@code OK EXEC <execId> <targetRank> <targetName>}: to the issuer of an allowed EXEC. */
    record ExecAccepted(long execId, int targetRank, String targetName) implements ServerEvent {
        public ExecAccepted {
            Objects.requireNonNull(targetName, "targetName");
        }
    }

    /** {@code RESULT <execId> <fromName> <text>}: to the issuer, the target's answer. */
    record ExecResult(long execId, String fromName, String text) implements ServerEvent {
        public ExecResult {
            Objects.requireNonNull(fromName, "fromName");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code ROOM <roomId> WAITING}: room mode, waiting for the room to fill. */
    record RoomWaiting(long roomId) implements ServerEvent {
    }

    /** {@code ROOM <roomId> READY <name> <name> …}: the room is complete; members in join order. */
    record RoomReady(long roomId, List<String> names) implements ServerEvent {
        public RoomReady {
            names = List.copyOf(names);
        }
    }

    /** {@code TURN WRITE} / {@code TURN READ}: turn mode, whether it is this client's turn. */
    record Turn(boolean write) implements ServerEvent {
    }

    /** {@code HELP <command> <text>}: one row of the answer to {@code /help}. */
    record HelpEntry(String command, String text) implements ServerEvent {
        public HelpEntry {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code END HELP <count>}: the end of a {@code /help} answer. */
    record HelpEnd(int count) implements ServerEvent {
    }

    /** {@code ERROR <CODE> <text>}: a refused request. */
    record Error(ErrorCode code, String text) implements ServerEvent {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code BYE <text>}: the last line before the server closes the connection. */
    record Bye(String text) implements ServerEvent {
        public Bye {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A line a client could not parse as any event above (a newer server, or a bug): kept whole so a
     * client can still show it. {@link ProtocolFormatter} writes it back unchanged.
     */
    record Unparsed(String line) implements ServerEvent {
        public Unparsed {
            Objects.requireNonNull(line, "line");
        }
    }
}
