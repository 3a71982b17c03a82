package io.hermesnet.limits;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.testkit.LineClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/** Starts a real {@link HermesServer} on 127.0.0.1, port 0, for the limit tests. */
final class TestServers {
    /** The bound of every client wait in the limit tests. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestServers() {
    }

    /** A {@link LineClient} of {@code server} with {@link #WAIT} as its timeout and {@code options}; nothing read yet. */
    static LineClient client(HermesServer server, Consumer<LineClient.Builder> options) {
        LineClient.Builder b = LineClient.builder(server.localAddress()).timeout(WAIT);
        options.accept(b);
        try {
            return b.connect();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + server.localAddress(), e);
        }
    }

    /** A client of {@code server} that has read its {@code WELCOME} (see {@link LineClient#welcome()}). */
    static LineClient join(HermesServer server) {
        try {
            return LineClient.builder(server.localAddress()).timeout(WAIT).join();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + server.localAddress(), e);
        }
    }

    /** A server with {@code config}, ticks off unless the config sets them, two event loops. */
    static HermesServer start(HermesConfig config) throws IOException {
        return HermesServer.start(new HermesHub(config), new InetSocketAddress("127.0.0.1", 0), Transport.best(), 2);
    }

    /**
     * A server whose accepted sockets have a {@code sendBufferBytes} SO_SNDBUF: on loopback the kernel
     * would otherwise grow a socket's send buffer to megabytes, which a slow-consumer test would have
     * to fill before the server's own queue (what {@code --max-pending} bounds) starts to grow.
     */
    static HermesServer start(HermesConfig config, int sendBufferBytes) throws IOException {
        HermesHub hub = new HermesHub(config);
        HermesPipeline pipeline = new HermesPipeline(hub);
        return HermesServer.start(hub, new InetSocketAddress("127.0.0.1", 0), Transport.best(), 2,
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.config().setOption(ChannelOption.SO_SNDBUF, sendBufferBytes);
                        pipeline.configure(ch.pipeline());
                    }
                });
    }

    /** The defaults with ticks off and a short shutdown, for tests to adjust. */
    static HermesConfig.Builder config() {
        return HermesConfig.builder().tickInterval(Duration.ZERO).shutdownTimeout(Duration.ofSeconds(1));
    }
}
