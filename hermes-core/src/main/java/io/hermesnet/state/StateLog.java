package io.hermesnet.state;

/**
 * Puts {@link StateEvent}s in one order and applies them, in that order, on every server that shares
 * the state: the seam between a hub and where its state lives (docs/design.md "State as ordered events").
 * {@link LocalStateLog} is one server's log in memory; a cluster backend (docs/protocol.md §6.4) orders the
 * events in an external store and applies what every server appended.
 *
 * <p>Threading: {@link #append} may be called from any thread, event loops included, and never blocks.
 * The applier is called for one event at a time, never concurrently, in the log's order.
 */
public interface StateLog extends AutoCloseable {

    /** Applies events, one at a time, in the log's order. */
    @FunctionalInterface
    interface Applier {
        /** Applies {@code event}; must not block. */
        void apply(StateEvent event);
    }

    /**
     * Starts applying: from now on every event appended by any server sharing this log, this one's
     * included, reaches {@code applier} exactly once and in order. Called once, before the first append.
     */
    void start(Applier applier);

    /**
     * Appends {@code event}. {@link LocalStateLog} applies it before returning; a distributed log applies
     * it when it comes back in order, so callers must not expect its effects on return.
     */
    void append(StateEvent event);

    /**
     * Carries a chat line outside turn mode (docs/protocol.md §3.4) to the other servers sharing the log,
     * without ordering it with the state: each other server's applier gets it as a {@link StateEvent.Chat}
     * and relays it to its own clients; this server has relayed it already. A server in memory has no
     * one to tell: the default does nothing. Never blocks.
     */
    default void publish(StateEvent.Chat chat) {
    }

    /**
     * Whether {@link #append} applies the event before it returns (one server in memory): the hub then
     * skips ordering work a distributed log needs, and chat outside turn mode skips the log entirely.
     */
    boolean appliesInline();

    /** This server's node id: {@link StateEvent.Join#node()} of the clients connected here. */
    String nodeId();

    /**
     * Whether the log is usable: false while a distributed log is cut off from its store (the server
     * then reports not ready, docs/protocol.md §6.2).
     */
    default boolean isAvailable() {
        return true;
    }

    /** Stops applying and releases what the log holds; the default does nothing. */
    @Override
    default void close() {
    }
}
