package io.hermesnet.hub;

import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reference model of docs/protocol.md §3.1–§3.8, written from docs/protocol.md and independent of {@link HermesHub}'s
 * code: it drives real {@link TestClient}s and predicts every line each client must receive. After
 * each operation {@link #verify()} compares the prediction with what the clients really got, line for
 * line, and checks the hub's counters. Used by the randomised tests.
 */
final class HubModel implements AutoCloseable {
    /** How a client leaves, and the reason the others must see. */
    enum Exit { CLOSED, LOGOUT, ERROR }

    static final class Member {
        final TestClient client;
        final long id;
        String name;
        ModelRoom room;

        Member(TestClient client, long id) {
            this.client = client;
            this.id = id;
            this.name = "client" + id;
        }

        @Override
        public String toString() {
            return name + "#" + id;
        }
    }

    static final class ModelRoom {
        final long id;
        final List<Member> members = new ArrayList<>();
        Member holder;

        ModelRoom(long id) {
            this.id = id;
        }
    }

    private record Pending(Member issuer, Member target) {
    }

    /** An unexpected handler failure, without a stack trace to keep the test log small. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure() {
            super("test: injected failure", null, false, false);
        }
    }

    final HermesConfig config;
    final TestClients clients;
    /** Connected clients in join order: index = rank (docs/protocol.md §3.5). */
    final List<Member> ranked = new ArrayList<>();
    private final Map<Long, ModelRoom> rooms = new LinkedHashMap<>();
    private final Map<Long, Pending> pending = new java.util.TreeMap<>(); // ended in id order
    private final Map<Member, List<String>> expected = new IdentityHashMap<>();
    private long lastId;
    private long lastRoomId;
    private long lastExecId;
    private long execsAllowed;
    private long execLinesChecked;

    HubModel(HermesConfig config) {
        this.config = config;
        this.clients = new TestClients(config);
    }

    private void expect(Member m, String line) {
        expected.computeIfAbsent(m, k -> new ArrayList<>()).add(line);
    }

    private void expectAll(List<Member> to, Member except, String line) {
        for (Member m : to) {
            if (m != except) {
                expect(m, line);
            }
        }
    }

    /** A random connected member. */
    Member any(Random rnd) {
        return ranked.get(rnd.nextInt(ranked.size()));
    }

    long lastExecId() {
        return lastExecId;
    }

    long execsAllowed() {
        return execsAllowed;
    }

    long execLinesChecked() {
        return execLinesChecked;
    }

    /** Connects a client; returns its member, or {@code null} if it was refused as FULL. */
    Member join() {
        TestClient c = clients.connect();
        if (ranked.size() >= config.maxClients()) {
            int max = config.maxClients();
            assertEquals(List.of("ERROR FULL server is full (" + max + "/" + max + ")"), c.lines());
            assertTrue(!c.isOpen(), "refused client is closed");
            verify();
            return null;
        }
        Member m = new Member(c, ++lastId);
        ranked.add(m);
        int n = ranked.size();
        expect(m, "WELCOME " + m.id + " " + m.name + " " + (n - 1) + " " + config.welcomeText());
        expectAll(ranked, m, "JOIN " + m.id + " " + m.name);
        expectAll(ranked, null, "CLIENTS " + n);
        if (config.roomsEnabled()) {
            enterRoom(m);
        }
        verify();
        return m;
    }

    private void enterRoom(Member m) {
        ModelRoom room = null;
        for (ModelRoom r : rooms.values()) {
            if (r.members.size() < config.roomSize()) {
                room = r;
                break;
            }
        }
        if (room == null) {
            room = new ModelRoom(++lastRoomId);
            rooms.put(room.id, room);
        }
        room.members.add(m);
        m.room = room;
        if (room.members.size() == config.roomSize()) {
            announceReady(room);
        } else {
            expect(m, "ROOM " + room.id + " WAITING");
        }
    }

    private void announceReady(ModelRoom room) {
        StringBuilder line = new StringBuilder("ROOM " + room.id + " READY");
        for (Member x : room.members) {
            line.append(' ').append(x.name);
        }
        expectAll(room.members, null, line.toString());
        if (config.turns()) {
            announceTurns(room);
        }
    }

    private void announceTurns(ModelRoom room) {
        if (room.holder == null) {
            room.holder = room.members.get(0);
        }
        for (Member x : room.members) {
            expect(x, x == room.holder ? "TURN WRITE" : "TURN READ");
        }
    }

    /** {@code m} leaves the way {@code exit} says. */
    void leave(Member m, Exit exit) {
        int index = ranked.indexOf(m);
        ranked.remove(index);
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            if (e.getValue().issuer == m || e.getValue().target == m) {
                if (e.getValue().issuer != m) { // docs/protocol.md §3.6: its target left, so no answer comes
                    expect(e.getValue().issuer, "ERROR NO_SUCH_EXEC " + e.getKey() + " no answer");
                }
                it.remove();
            }
        }
        String reason = exit.name().toLowerCase(Locale.ROOT);
        expectAll(ranked, null, "LEAVE " + m.id + " " + m.name + " " + reason);
        expectAll(ranked, null, "CLIENTS " + ranked.size());
        for (int i = index; i < ranked.size(); i++) {
            expect(ranked.get(i), "RANK " + i);
        }
        ModelRoom room = m.room;
        if (room != null) {
            boolean wasReady = room.members.size() == config.roomSize();
            int at = room.members.indexOf(m);
            room.members.remove(at);
            if (room.holder == m) {
                room.holder = room.members.isEmpty() ? null : room.members.get(at % room.members.size());
            }
            if (room.members.isEmpty()) {
                rooms.remove(room.id);
            } else if (wasReady) {
                expectAll(room.members, null, "ROOM " + room.id + " WAITING");
            }
        }
        switch (exit) {
            case CLOSED -> m.client.disconnect();
            case LOGOUT -> m.client.send("/quit");
            case ERROR -> {
                m.client.channel().pipeline().fireExceptionCaught(new InjectedFailure());
                m.client.channel().runPendingTasks();
            }
        }
        assertEquals(exit == Exit.LOGOUT ? List.of("BYE Goodbye") : List.of(), m.client.lines(), "the leaver's last lines");
        assertTrue(!m.client.isOpen(), "the leaver is closed");
        verify();
    }

    /** {@code m} sends a chat line. */
    void chat(Member m, String text) {
        List<Member> audience = config.roomsEnabled() ? m.room.members : ranked;
        boolean ready = !config.roomsEnabled() || m.room.members.size() == config.roomSize();
        if (!ready) {
            expect(m, "ERROR NOT_READY room " + m.room.id + " is waiting for more members");
        } else if (config.turns() && holderOf(m.room) != m) {
            expect(m, "ERROR NOT_YOUR_TURN wait for TURN WRITE");
        } else {
            expectAll(audience, m, "MSG " + m.id + " " + m.name + " " + text);
            if (config.echo()) {
                expect(m, "ECHO " + text);
            }
            if (config.turns()) {
                ModelRoom room = m.room;
                room.holder = room.members.get((room.members.indexOf(m) + 1) % room.members.size());
                announceTurns(room);
            }
        }
        m.client.send(text);
        verify();
    }

    private static Member holderOf(ModelRoom room) {
        return room.holder != null ? room.holder : room.members.get(0);
    }

    /** {@code m} sends {@code /nick name}. */
    void nick(Member m, String name) {
        Member holder = null;
        for (Member x : ranked) {
            if (x.name.equalsIgnoreCase(name)) {
                holder = x;
            }
        }
        if (holder != null && holder != m) {
            expect(m, "ERROR NAME_TAKEN name " + name + " is in use");
        } else {
            expect(m, "NAME " + name);
            if (!m.name.equals(name)) {
                expectAll(ranked, m, "RENAME " + m.id + " " + m.name + " " + name);
                m.name = name;
            }
        }
        m.client.send("/nick " + name);
        verify();
    }

    /** {@code issuer} sends {@code /exec targetRank command} (or the bare form). */
    void exec(Member issuer, int targetRank, String command, boolean bare) {
        int fromRank = ranked.indexOf(issuer);
        if (targetRank >= ranked.size()) {
            expect(issuer, "ERROR NO_SUCH_RANK no client holds rank " + targetRank);
        } else if (fromRank >= targetRank) {
            expect(issuer, "ERROR FORBIDDEN rank " + fromRank + " may only EXEC on ranks below it (numbers greater than "
                    + fromRank + ")");
        } else {
            Member target = ranked.get(targetRank);
            long id = ++lastExecId;
            pending.put(id, new Pending(issuer, target));
            expect(target, "EXEC " + id + " " + fromRank + " " + issuer.name + " " + command);
            expect(issuer, "OK EXEC " + id + " " + targetRank + " " + target.name);
            execsAllowed++;
        }
        issuer.client.send((bare ? "EXEC " : "/exec ") + targetRank + " " + command);
        verify();
    }

    /** {@code from} sends {@code /result execId text}. */
    void result(Member from, long execId, String text) {
        Pending p = pending.get(execId);
        if (p == null || p.target != from) {
            expect(from, "ERROR NO_SUCH_EXEC no pending EXEC " + execId + " for you");
        } else {
            pending.remove(execId);
            expect(p.issuer, "RESULT " + execId + " " + from.name + (text.isEmpty() ? "" : " " + text));
        }
        from.client.send("/result " + execId + (text.isEmpty() ? "" : " " + text));
        verify();
    }

    /** A pending EXEC id whose target is {@code m}, or -1. */
    long pendingFor(Member m) {
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue().target == m) {
                return e.getKey();
            }
        }
        return -1;
    }

    /**
     * Every connected client got exactly the predicted lines; no EXEC reached a client from a rank
     * that is not above it; the hub's counters and sessions match the model.
     */
    void verify() {
        for (int rank = 0; rank < ranked.size(); rank++) {
            Member m = ranked.get(rank);
            List<String> got = m.client.lines();
            for (String line : got) {
                if (line.startsWith("EXEC ")) {
                    ServerEvent.ExecRequest e = (ServerEvent.ExecRequest) ProtocolParser.parseEvent(line);
                    assertTrue(e.fromRank() < rank, () -> "EXEC from rank " + e.fromRank() + " reached rank " + m);
                    assertEquals(ranked.get(e.fromRank()).name, e.fromName(), "EXEC names its real issuer");
                    execLinesChecked++;
                }
            }
            assertEquals(expected.getOrDefault(m, List.of()), got, () -> "lines of " + m + " (rank " + ranked.indexOf(m) + ")");
        }
        expected.clear();

        HermesHub hub = clients.hub();
        assertEquals(ranked.size(), hub.clientCount());
        assertEquals(rooms.size(), hub.roomCount());
        assertEquals(pending.size(), hub.pendingExecCount());
        List<Session> sessions = hub.sessions();
        assertEquals(ranked.size(), sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            Session s = sessions.get(i);
            Member m = ranked.get(i);
            assertEquals(m.id, s.id(), "rank order is join order");
            assertEquals(i, s.rank(), "ranks are exactly 0..n-1");
            assertEquals(m.name, s.name());
            assertEquals(m.room == null ? ServerEvent.WhoEntry.NO_ROOM : m.room.id, s.roomId());
        }
    }

    /** Everyone leaves; the hub is back to empty. */
    void leaveAll(Random rnd) {
        while (!ranked.isEmpty()) {
            leave(any(rnd), Exit.values()[rnd.nextInt(Exit.values().length)]);
        }
        HermesHub hub = clients.hub();
        assertEquals(0, hub.clientCount());
        assertEquals(0, hub.roomCount());
        assertEquals(0, hub.pendingExecCount());
        assertEquals(List.of(), hub.sessions());
    }

    @Override
    public void close() {
        clients.close();
    }
}
