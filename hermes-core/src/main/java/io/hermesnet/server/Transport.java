package io.hermesnet.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O transport: native epoll when its library is on the class path and loads, NIO otherwise.
 *
 * @param name          {@code epoll} or {@code nio}, for the start-up log line
 * @param ioHandlers    the factory for {@code MultiThreadIoEventLoopGroup}
 * @param serverChannel the listening channel class
 * @param socketChannel the class of an outgoing connection on these loops (a cluster node's Redis
 *                      connections share the server's loops: docs/cluster.md "Threads")
 */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** Epoll if available, else NIO. */
    public static Transport best() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    /** Java NIO: works everywhere. */
    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /**
     * Linux native epoll.
     *
     * @throws UnsatisfiedLinkError if the native library is not available
     */
    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    /**
     * New event loops of this transport, for a server bound with
     * {@link HermesServer#bindNotAccepting(io.hermesnet.hub.HermesHub, java.util.List, Transport, EventLoopGroup)}
     * and whatever else should share its threads; the caller shuts them down.
     *
     * @param ioThreads number of loops; 0 for one per available core
     * @throws IllegalArgumentException if {@code ioThreads} is negative
     */
    public EventLoopGroup newEventLoops(int ioThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be 0 or more: " + ioThreads);
        }
        return new MultiThreadIoEventLoopGroup(ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(),
                ioHandlers);
    }
}
