package io.hermesnet.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * A room of docs/protocol.md §3.7: members in join order, the turn holder in turn mode, and an immutable snapshot
 * of the members for lock-free chat fan-out.
 *
 * <p>Threading: mutated only by {@link HermesHub} under its lock; {@link #snapshot()} may be read
 * from any thread.
 */
final class Room {
    private final long id;
    private final int capacity;
    private final List<Session> members = new ArrayList<>();
    private volatile Session[] snapshot = new Session[0];
    private Session turnHolder;

    /** A room with the given capacity; 0 means unbounded (the global room). */
    Room(long id, int capacity) {
        this.id = id;
        this.capacity = capacity;
    }

    long id() {
        return id;
    }

    boolean isFull() {
        return capacity > 0 && members.size() >= capacity;
    }

    /** Whether chat may flow: the global room always, a sized room when complete. */
    boolean isReady() {
        return capacity == 0 || members.size() >= capacity;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    List<Session> members() {
        return members;
    }

    Session[] snapshot() {
        return snapshot;
    }

    void add(Session s) {
        members.add(s);
        snapshot = members.toArray(new Session[0]);
    }

    /** Removes {@code s}; a leaving turn holder passes the turn to the next member in join order. */
    void remove(Session s) {
        int i = members.indexOf(s);
        if (i < 0) {
            return;
        }
        members.remove(i);
        snapshot = members.toArray(new Session[0]);
        if (turnHolder == s) {
            turnHolder = members.isEmpty() ? null : members.get(i % members.size());
        }
    }

    /** The turn holder, choosing the earliest member if there is none yet. */
    Session turnHolder() {
        if (turnHolder == null && !members.isEmpty()) {
            turnHolder = members.get(0);
        }
        return turnHolder;
    }

    /** Passes the turn to the member after the holder in join order, wrapping around. */
    void passTurn() {
        int i = members.indexOf(turnHolder());
        turnHolder = members.get((i + 1) % members.size());
    }
}
