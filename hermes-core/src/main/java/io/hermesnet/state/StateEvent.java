package io.hermesnet.state;

import io.hermesnet.protocol.LeaveReason;

import java.util.Objects;

/**
 * One change of a server's shared state (docs/protocol.md §3): membership, names, ranks, rooms, turns
 * and EXECs. A {@link StateLog} puts events in one order and hands each, in that order, to every
 * server that shares the state; applying the same events in the same order gives every server the
 * same clients, ranks, rooms, turns and EXECs (docs/design.md "State as ordered events").
 *
 * <p>Events are requests, checked when applied: a {@link Rename} to a taken name, an {@link Exec} to a
 * rank above the issuer or a {@link Chat} out of turn is refused by the same rule on every server, and
 * the server the client is connected to sends it the {@code ERROR}. Applying is deterministic: it reads
 * nothing but the event and the state (no clock, no randomness), so ids allocated on apply (client
 * ids, EXEC ids, room ids) are the same everywhere.
 *
 * <p>Field conventions: ids are positive; {@code node} is the id of the server the client is connected
 * to ({@link StateLog#nodeId()}); texts are already sanitized single lines (no CR, LF or NUL).
 */
public sealed interface StateEvent {

    /**
     * A connection asks to join (docs/protocol.md §3.1): on apply it is admitted with the next client id, the
     * default name and the lowest rank, or refused ({@code FULL}, per-IP) on every server alike.
     *
     * @param node        the server holding the connection
     * @param ticket      that server's handle for the connection until it has a client id (unique per node)
     * @param address     the remote {@code ip:port}
     * @param sinceMillis when the connection was accepted, epoch ms
     */
    record Join(String node, long ticket, String address, long sinceMillis) implements StateEvent {
        public Join {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(address, "address");
        }
    }

    /** Client {@code clientId} leaves (docs/protocol.md §3.3): ranks below close up, its EXECs end. */
    record Leave(long clientId, LeaveReason reason) implements StateEvent {
        public Leave {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Client {@code clientId} asks for {@code name} (docs/protocol.md §2 {@code /nick}); a taken name is refused. */
    record Rename(long clientId, String name) implements StateEvent {
        public Rename {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A chat line that must be ordered with the state (docs/protocol.md §3.7 turn mode: the turn passes on).
     * Chat outside turn mode needs no order with membership and may take a faster path.
     */
    record Chat(long clientId, String text) implements StateEvent {
        public Chat {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /exec <targetRank> <command>} from client {@code issuerId} (docs/protocol.md §3.6), checked on apply. */
    record Exec(long issuerId, long targetRank, String command) implements StateEvent {
        public Exec {
            Objects.requireNonNull(command, "command");
        }
    }

    /** {@code /result <execId> <text>} from client {@code fromId} (docs/protocol.md §3.6), checked on apply. */
    record Result(long fromId, long execId, String text) implements StateEvent {
        public Result {
            Objects.requireNonNull(text, "text");
        }
    }

    /** EXEC {@code execId} ran out of {@code --exec-timeout}, appended by its issuer's server; ignored if answered. */
    record ExecExpired(long execId) implements StateEvent {
    }

    /** {@code /msg <toName> <text>} from client {@code fromId} (docs/protocol.md §2.5). */
    record Direct(long fromId, String toName, String text) implements StateEvent {
        public Direct {
            Objects.requireNonNull(toName, "toName");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Server {@code node} is gone (docs/protocol.md §6.4): each of its clients leaves with reason {@code node}.
     * Appended once by whichever server noticed; applying it twice changes nothing.
     */
    record NodeDown(String node) implements StateEvent {
        public NodeDown {
            Objects.requireNonNull(node, "node");
        }
    }
}
