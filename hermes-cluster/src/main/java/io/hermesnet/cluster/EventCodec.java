package io.hermesnet.cluster;

import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.state.StateEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link StateEvent} as the fields of one Redis Stream entry (docs/cluster.md "Entries"): {@code type}
 * names the event, every other field is one record component as text. No Java serialisation: an entry
 * reads the same in {@code redis-cli XRANGE}, and a node of a later version can skip a type it does not
 * know instead of failing on it.
 */
final class EventCodec {
    static final String TYPE = "type";

    private EventCodec() {
    }

    /** The entry fields of {@code event}, {@code type} first. */
    static Map<String, String> encode(StateEvent event) {
        Map<String, String> f = new LinkedHashMap<>();
        if (event instanceof StateEvent.Join e) {
            f.put(TYPE, "join");
            f.put("node", e.node());
            f.put("ticket", Long.toString(e.ticket()));
            f.put("address", e.address());
            f.put("since", Long.toString(e.sinceMillis()));
        } else if (event instanceof StateEvent.Leave e) {
            f.put(TYPE, "leave");
            f.put("client", Long.toString(e.clientId()));
            f.put("reason", e.reason().wire());
        } else if (event instanceof StateEvent.Rename e) {
            f.put(TYPE, "rename");
            f.put("client", Long.toString(e.clientId()));
            f.put("name", e.name());
        } else if (event instanceof StateEvent.Chat e) {
            f.put(TYPE, "chat");
            f.put("client", Long.toString(e.clientId()));
            f.put("text", e.text());
        } else if (event instanceof StateEvent.Exec e) {
            f.put(TYPE, "exec");
            f.put("issuer", Long.toString(e.issuerId()));
            f.put("rank", Long.toString(e.targetRank()));
            f.put("command", e.command());
        } else if (event instanceof StateEvent.Result e) {
            f.put(TYPE, "result");
            f.put("from", Long.toString(e.fromId()));
            f.put("exec", Long.toString(e.execId()));
            f.put("text", e.text());
        } else if (event instanceof StateEvent.ExecExpired e) {
            f.put(TYPE, "exec-expired");
            f.put("exec", Long.toString(e.execId()));
        } else if (event instanceof StateEvent.Direct e) {
            f.put(TYPE, "direct");
            f.put("from", Long.toString(e.fromId()));
            f.put("to", e.toName());
            f.put("text", e.text());
        } else if (event instanceof StateEvent.NodeDown e) {
            f.put(TYPE, "node-down");
            f.put("node", e.node());
        } else {
            throw new IllegalArgumentException("unknown state event " + event);
        }
        return f;
    }

    /**
     * The event the entry fields {@code f} hold.
     *
     * @throws IllegalArgumentException for an unknown type or a missing or malformed field
     */
    static StateEvent decode(Map<String, String> f) {
        String type = field(f, TYPE);
        return switch (type) {
            case "join" -> new StateEvent.Join(field(f, "node"), number(f, "ticket"), field(f, "address"),
                    number(f, "since"));
            case "leave" -> new StateEvent.Leave(number(f, "client"), LeaveReason.fromWire(field(f, "reason")));
            case "rename" -> new StateEvent.Rename(number(f, "client"), field(f, "name"));
            case "chat" -> new StateEvent.Chat(number(f, "client"), field(f, "text"));
            case "exec" -> new StateEvent.Exec(number(f, "issuer"), number(f, "rank"), field(f, "command"));
            case "result" -> new StateEvent.Result(number(f, "from"), number(f, "exec"), field(f, "text"));
            case "exec-expired" -> new StateEvent.ExecExpired(number(f, "exec"));
            case "direct" -> new StateEvent.Direct(number(f, "from"), field(f, "to"), field(f, "text"));
            case "node-down" -> new StateEvent.NodeDown(field(f, "node"));
            default -> throw new IllegalArgumentException("unknown entry type " + type);
        };
    }

    private static String field(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new IllegalArgumentException("entry without field " + name);
        }
        return v;
    }

    private static long number(Map<String, String> f, String name) {
        try {
            return Long.parseLong(field(f, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry field " + name + " is not a number", e);
        }
    }
}
