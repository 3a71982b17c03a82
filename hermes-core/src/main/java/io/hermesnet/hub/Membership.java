package io.hermesnet.hub;

import io.hermesnet.protocol.Names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is connected (docs/protocol.md §3.1, §3.5): the clients in join order, which is rank order, their
 * ids, names (unique ignoring case) and how many come from each IP address; and the last client id given
 * out. Owned by the {@link HermesHub}'s applier: touched only while it applies a state event.
 */
final class Membership {
    private long lastClientId;
    private final List<Session> ranked = new ArrayList<>();
    private final Map<Long, Session> byId = new HashMap<>();
    private final Map<String, Session> byName = new HashMap<>();
    private final Map<String, Integer> perIp = new HashMap<>();

    /** The next client id; ids are never reused. */
    long nextId() {
        return ++lastClientId;
    }

    int size() {
        return ranked.size();
    }

    /** How many clients are connected from {@code ip}, on every server sharing the state. */
    int fromIp(String ip) {
        return perIp.getOrDefault(ip, 0);
    }

    Session byId(long id) {
        return byId.get(id);
    }

    /** The client holding {@code name} in any case, or null. */
    Session byName(String name) {
        return byName.get(Names.key(name));
    }

    /** The client at {@code rank}; {@code rank < size()}. */
    Session atRank(int rank) {
        return ranked.get(rank);
    }

    /** Adds {@code s} with the lowest rank. */
    void add(Session s) {
        ranked.add(s);
        byId.put(s.id(), s);
        byName.put(Names.key(s.name()), s);
        perIp.merge(ipOf(s.address()), 1, Integer::sum);
    }

    /** Removes {@code s}; everyone below moves up one rank. Returns the rank it held. */
    int remove(Session s) {
        int index = ranked.indexOf(s);
        ranked.remove(index);
        byId.remove(s.id());
        byName.remove(Names.key(s.name()));
        perIp.computeIfPresent(ipOf(s.address()), (k, n) -> n > 1 ? n - 1 : null);
        for (int i = index; i < ranked.size(); i++) {
            ranked.get(i).rank(i);
        }
        return index;
    }

    /** Gives {@code s} the (free) name {@code name}. */
    void rename(Session s, String name) {
        byName.remove(Names.key(s.name()));
        byName.put(Names.key(name), s);
        s.name(name);
    }

    /** Every client in rank order: a copy. */
    Session[] toArray() {
        return ranked.toArray(new Session[0]);
    }

    /** The clients in rank order: a live view, for reading while the applier is not running. */
    List<Session> ranked() {
        return ranked;
    }

    /** The IP address part of {@code ip:port} (IPv6 addresses keep their colons). */
    static String ipOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }
}
