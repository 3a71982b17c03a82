package io.hermesnet.server;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * One admitted client: its id, name, rank and room, and the channel it talks on. Created by
 * {@link HermesHub#join}; stored in the channel attribute {@link HermesAttributes#SESSION}.
 *
 * <p>Threading: the mutable fields are written only by the {@link HermesHub} while it holds its lock
 * and are {@code volatile}, so any thread may read them; a read outside the hub's lock is a snapshot.
 */
public final class Session {
    private final long id;
    private final Channel channel;
    private final String address;
    private final Instant connectedSince;

    private volatile String name;
    private volatile int rank;
    private volatile Room room;
    private volatile boolean joined = true;

    Session(long id, String name, int rank, Channel channel, Instant connectedSince) {
        this.id = id;
        this.name = name;
        this.rank = rank;
        this.channel = channel;
        this.address = formatAddress(channel.remoteAddress());
        this.connectedSince = connectedSince;
    }

    /** {@code ip:port} of an {@link InetSocketAddress}, else the address's own string. */
    public static String formatAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ':' + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The client id: 1, 2, …, never reused within a run. */
    public long id() {
        return id;
    }

    /** The current name. */
    public String name() {
        return name;
    }

    /** The current rank: 0 is the highest; connected clients hold exactly 0..n-1 (SPEC §3.5). */
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

    /** The client's channel. */
    public Channel channel() {
        return channel;
    }

    /** Whether the client is still a member: false from the moment it starts leaving. */
    public boolean isJoined() {
        return joined;
    }

    /**
     * Writes and flushes one event to this client, from any thread; failures surface in the
     * channel's {@code exceptionCaught}.
     */
    public void send(ServerEvent event) {
        channel.writeAndFlush(event, channel.voidPromise());
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

    void left() {
        joined = false;
    }

    @Override
    public String toString() {
        return "client " + id + " (" + name + ", " + address + ")";
    }
}
