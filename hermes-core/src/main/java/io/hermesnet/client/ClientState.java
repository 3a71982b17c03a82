package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the server has told this client about itself on one connection: id, name, rank, client count,
 * last {@code ID} tick, room and turn (docs/protocol.md "Server to client", ranks, rooms), the {@code BYE} text
 * once it came, and the names of the other connected clients as far as this client has heard of them
 * ({@code WHO}, {@code JOIN}, {@code LEAVE}, {@code RENAME}, {@code MSG}, {@code DM}), for completion.
 * Kept up to date by {@link ClientStateHandler} in every pipeline built by {@link HermesClientPipeline}.
 *
 * <p>Threading: written only on the channel's event loop (in event order); every field is volatile, so
 * any thread may read a recent value, for example to draw a prompt. Values read from different getters
 * may come from different moments.
 */
public final class ClientState {
    /** Where a pipeline built by {@link HermesClientPipeline} keeps its channel's state. */
    public static final AttributeKey<ClientState> KEY = AttributeKey.valueOf(ClientState.class, "clientState");

    /** Turn mode (docs/protocol.md §3.7): whether this client may write now. */
    public enum Turn {
        /** No {@code TURN} line received: turn mode is off, or the room is not ready yet. */
        NONE,
        /** {@code TURN WRITE}: this client's turn. */
        WRITE,
        /** {@code TURN READ}: another member's turn. */
        READ
    }

    /** The value of {@link #id()}, {@link #rank()}, {@link #lastTick()} and {@link #roomId()} while unknown. */
    public static final long UNKNOWN = -1;

    private volatile boolean welcomed;
    private volatile long id = UNKNOWN;
    private volatile String name;
    private volatile int rank = (int) UNKNOWN;
    private volatile int clients;
    private volatile long lastTick = UNKNOWN;
    private volatile long roomId = UNKNOWN;
    private volatile boolean roomReady;
    private volatile Turn turn = Turn.NONE;
    private volatile String byeText;
    /** Other clients by id; replaced whole (never mutated) so readers on other threads see a consistent map. */
    private volatile Map<Long, String> peers = Map.of();
    /** The rows of a {@code WHO} answer still arriving; event loop only. */
    private Map<Long, String> whoRows;

    /** A state with nothing known yet. */
    public ClientState() {
    }

    /** The state of {@code channel}, or {@code null} if its pipeline was not built by {@link HermesClientPipeline}. */
    public static ClientState of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /**
     * Updates the state from one event; events that say nothing about this client are ignored.
     * Called on the event loop by {@link ClientStateHandler}; a custom pipeline may call it too.
     */
    public void apply(ServerEvent event) {
        if (event instanceof ServerEvent.IdTick e) {
            lastTick = e.value();
        } else if (event instanceof ServerEvent.Welcome e) {
            id = e.id();
            name = e.name();
            rank = e.rank();
            welcomed = true;
        } else if (event instanceof ServerEvent.Clients e) {
            clients = e.count();
        } else if (event instanceof ServerEvent.Name e) {
            name = e.name();
        } else if (event instanceof ServerEvent.Rank e) {
            rank = e.rank();
        } else if (event instanceof ServerEvent.RoomWaiting e) {
            roomId = e.roomId();
            roomReady = false;
        } else if (event instanceof ServerEvent.RoomReady e) {
            roomId = e.roomId();
            roomReady = true;
        } else if (event instanceof ServerEvent.Turn e) {
            turn = e.write() ? Turn.WRITE : Turn.READ;
        } else if (event instanceof ServerEvent.Bye e) {
            byeText = e.text();
        } else {
            applyPeers(event);
        }
    }

    private void applyPeers(ServerEvent event) {
        if (event instanceof ServerEvent.Join e) {
            putPeer(e.id(), e.name());
        } else if (event instanceof ServerEvent.Rename e) {
            putPeer(e.id(), e.newName());
        } else if (event instanceof ServerEvent.Msg e) {
            putPeer(e.id(), e.name());
        } else if (event instanceof ServerEvent.Dm e) {
            putPeer(e.id(), e.name());
        } else if (event instanceof ServerEvent.Leave e) {
            if (peers.containsKey(e.id())) {
                Map<Long, String> m = new HashMap<>(peers);
                m.remove(e.id());
                peers = Map.copyOf(m);
            }
        } else if (event instanceof ServerEvent.WhoEntry e) {
            if (whoRows == null) {
                whoRows = new HashMap<>();
            }
            if (e.id() != id) {
                whoRows.put(e.id(), e.name());
            }
        } else if (event instanceof ServerEvent.WhoEnd) {
            // A WHO answer is the whole list: it replaces what JOIN/LEAVE built up.
            peers = whoRows == null ? Map.of() : Map.copyOf(whoRows);
            whoRows = null;
        }
    }

    private void putPeer(long peerId, String peerName) {
        if (peerId != id && !peerName.equals(peers.get(peerId))) {
            Map<Long, String> m = new HashMap<>(peers);
            m.put(peerId, peerName);
            peers = Map.copyOf(m);
        }
    }

    /**
     * The names of the other connected clients this client has heard of, current as of the latest
     * {@code WHO} answer, {@code JOIN}, {@code LEAVE}, {@code RENAME}, {@code MSG} or {@code DM}; an
     * unmodifiable snapshot, safe to read from any thread.
     */
    public Collection<String> peerNames() {
        return peers.values();
    }

    /** The current name of the other client {@code peerId}, or {@code null} if this client has not heard of it. */
    public String peerName(long peerId) {
        return peers.get(peerId);
    }

    /** Whether {@code WELCOME} has arrived, that is, the server admitted this client (docs/protocol.md §3.1). */
    public boolean welcomed() {
        return welcomed;
    }

    /** The client id from {@code WELCOME}, or {@link #UNKNOWN}. */
    public long id() {
        return id;
    }

    /** The client's name from {@code WELCOME} or the latest {@code NAME}, or {@code null} before {@code WELCOME}. */
    public String name() {
        return name;
    }

    /** The rank from {@code WELCOME} or the latest {@code RANK} (0 is the highest), or {@link #UNKNOWN}. */
    public int rank() {
        return rank;
    }

    /** The client count of the latest {@code CLIENTS} line, 0 before the first. */
    public int clients() {
        return clients;
    }

    /** The value of the latest {@code ID} tick (0..4294967295), or {@link #UNKNOWN} before the first. */
    public long lastTick() {
        return lastTick;
    }

    /** The room of the latest {@code ROOM} line, or {@link #UNKNOWN} when rooms are off or none came yet. */
    public long roomId() {
        return roomId;
    }

    /** Whether the latest {@code ROOM} line was {@code READY} (not {@code WAITING}). */
    public boolean roomReady() {
        return roomReady;
    }

    /** The latest {@code TURN}, or {@link Turn#NONE}. */
    public Turn turn() {
        return turn;
    }

    /** The text of the {@code BYE} line, or {@code null} if none has arrived. */
    public String byeText() {
        return byeText;
    }

    @Override
    public String toString() {
        return "ClientState[id=" + id + ", name=" + name + ", rank=" + rank + ", clients=" + clients
                + ", lastTick=" + lastTick + ", room=" + roomId + (roomReady ? " ready" : "") + ", turn=" + turn
                + (byeText != null ? ", bye=" + byeText : "") + ']';
    }
}
