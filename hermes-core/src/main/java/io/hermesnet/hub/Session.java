package io.hermesnet.hub;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * One client of the server's state (docs/protocol.md §3): its id, name, rank and room, the server
 * ({@link #node()}) it is connected to, and, when that is this server, its {@link ClientConnection}.
 * In a cluster (docs/protocol.md §6.4) the clients of other servers are sessions without a connection:
 * they count for ranks, names and rooms, and lines for them are sent by their own server. Created when
 * the hub applies a join; stored in the channel attribute {@link HermesAttributes#SESSION}.
 *
 * <p>Threading: the mutable fields are written only by the {@link HermesHub} while it applies a state
 * event and are {@code volatile}, so any thread may read them; a read outside the hub is a snapshot.
 */
public final class Session {
    private final long id;
    private final String node;
    private final String address;
    private final Instant connectedSince;
    private final ClientConnection connection;

    private volatile String name;
    private volatile int rank;
    private volatile Room room;
    private volatile boolean joined = true;
    private volatile boolean leaving;
    private volatile Runnable afterLeft; // this server's client: what runs once its leave is applied

    Session(long id, String name, int rank, String node, String address, Instant connectedSince,
            ClientConnection connection) {
        this.id = id;
        this.name = name;
        this.rank = rank;
        this.node = node;
        this.address = address;
        this.connectedSince = connectedSince;
        this.connection = connection;
    }

    /** {@code ip:port} of a socket address: see {@link ClientConnection#formatAddress}. */
    public static String formatAddress(SocketAddress address) {
        return ClientConnection.formatAddress(address);
    }

    /** The client id: 1, 2, …, never reused within a run (of the cluster). */
    public long id() {
        return id;
    }

    /** The current name. */
    public String name() {
        return name;
    }

    /** The current rank: 0 is the highest; connected clients hold exactly 0..n-1 (docs/protocol.md §3.5). */
    public int rank() {
        return rank;
    }

    /** The room id, or {@link ServerEvent.WhoEntry#NO_ROOM} when rooms are off. */
    public long roomId() {
        Room r = room;
        return r == null ? ServerEvent.WhoEntry.NO_ROOM : r.id();
    }

    /** The remote {@code ip:port}. */
    public String address() {
        return address;
    }

    /** When the client was admitted. */
    public Instant connectedSince() {
        return connectedSince;
    }

    /** The id of the server the client is connected to. */
    public String node() {
        return node;
    }

    /** Whether the client is connected to this server. */
    public boolean isLocal() {
        return connection != null;
    }

    /** The client's connection, or null when it is connected to another server of a cluster. */
    public ClientConnection connection() {
        return connection;
    }

    /** The client's channel, or null when it is connected to another server of a cluster. */
    public Channel channel() {
        return connection == null ? null : connection.channel();
    }

    /**
     * Whether the client is still a member: false from the moment it starts leaving (its leave may not be
     * applied yet in a cluster).
     */
    public boolean isJoined() {
        return joined && !leaving;
    }

    /** Whether the fan-out copies lines straight into this client's write coalescer: see {@link ClientConnection#appendsDirectly}. */
    public boolean appendsDirectly() {
        return connection != null && connection.appendsDirectly();
    }

    /** Sends one event to this client if it is connected here: see {@link ClientConnection#send}. Any thread. */
    public void send(ServerEvent event) {
        if (connection != null) {
            connection.send(event);
        }
    }

    void sendPresence(ServerEvent event) {
        if (connection != null) {
            connection.sendPresence(event);
        }
    }

    void name(String name) {
        this.name = name;
    }

    void rank(int rank) {
        this.rank = rank;
    }

    Room room() {
        return room;
    }

    void room(Room room) {
        this.room = room;
    }

    /** Marks the start of leaving; true only for the first call, which sets what runs once the leave is applied. */
    synchronized boolean startLeaving(Runnable afterLeft) {
        if (leaving) {
            return false;
        }
        this.afterLeft = afterLeft;
        leaving = true;
        return true;
    }

    /** What the first {@link #startLeaving} asked to run once the leave is applied, or null. */
    Runnable afterLeft() {
        return afterLeft;
    }

    /** Whether the hub still holds this client (its leave not yet applied). */
    boolean isMember() {
        return joined;
    }

    void left() {
        joined = false;
    }

    @Override
    public String toString() {
        return "client " + id + " (" + name + ", " + address + (connection == null ? ", on " + node : "") + ")";
    }
}
