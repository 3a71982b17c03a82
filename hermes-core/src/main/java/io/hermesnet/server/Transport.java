package io.hermesnet.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O transport: native epoll when its library is on the class path and loads, NIO otherwise.
 *
 * @param name          {@code epoll} or {@code nio}, for the start-up log line
 * @param ioHandlers    the factory for {@code MultiThreadIoEventLoopGroup}
 * @param serverChannel the listening channel class
 */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    /** Epoll if available, else NIO. */
    public static Transport best() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    /** Java NIO: works everywhere. */
    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    /**
     * Linux native epoll.
     *
     * @throws UnsatisfiedLinkError if the native library is not available
     */
    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
}
