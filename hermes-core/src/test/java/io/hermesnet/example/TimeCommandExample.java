package io.hermesnet.example;

import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The README's embedding example, compiled and run by {@link TimeCommandExampleTest}: a HermesNet
 * server inside your own program, with one handler of your own (a {@code /time} command) added to
 * HermesNet's pipeline by stage name.
 */
public final class TimeCommandExample {
    private TimeCommandExample() {
    }

    /** Answers {@code /time} with {@code TIME HH:mm:ss}; every other command flows on. */
    static final class TimeCommandHandler extends SimpleChannelInboundHandler<ClientCommand.Unknown> {
        private final Clock clock;

        TimeCommandHandler(Clock clock) {
            super(ClientCommand.Unknown.class, false); // we release nothing: commands are plain records
            this.clock = clock;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Unknown cmd) {
            if (!cmd.verb().equals("time")) {
                ctx.fireChannelRead(cmd); // on to the ErrorHandler: ERROR UNKNOWN_COMMAND
                return;
            }
            String now = LocalTime.now(clock).format(DateTimeFormatter.ofPattern("HH:mm:ss"));
            ClientConnection.of(ctx.channel()).sendLine("TIME " + now); // the client's one way out
        }
    }

    /** Starts the server on {@code bind}; close it to stop (clients get {@code BYE Thank you}). */
    public static HermesServer start(InetSocketAddress bind, Clock clock) throws IOException {
        HermesConfig config = HermesConfig.builder()
                .maxClients(100)
                .tickInterval(Duration.ZERO)
                .welcomeText("Welcome to my server!")
                .build();
        HermesHub hub = new HermesHub(config);
        HermesPipeline hermes = new HermesPipeline(hub);
        return HermesServer.start(hub, bind, Transport.best(), 0, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                hermes.configure(ch.pipeline());
                ch.pipeline().addBefore(HermesPipeline.ERRORS, "time", new TimeCommandHandler(clock));
            }
        });
    }
}
