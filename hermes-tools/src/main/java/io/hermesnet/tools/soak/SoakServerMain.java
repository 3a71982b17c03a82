package io.hermesnet.tools.soak;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A bare HermesNet server for {@code bench/soak.sh} when the {@code hermes-server} launcher is not
 * built: {@link HermesServer#start} with {@code --quiet} logging and the given port, client limit and
 * tick interval, until SIGTERM or SIGINT (then a graceful shutdown). Not part of the test suite.
 *
 * <p>Usage: {@code SoakServerMain PORT [MAX_CLIENTS [TICK_MS]]}.
 */
public final class SoakServerMain {
    private SoakServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: SoakServerMain PORT [MAX_CLIENTS [TICK_MS]]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int maxClients = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        long tickMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        HermesConfig config = HermesConfig.builder().maxClients(maxClients).tickInterval(Duration.ofMillis(tickMs))
                .quiet(true).build();
        HermesServer server = HermesServer.start(new HermesHub(config), new InetSocketAddress("127.0.0.1", port),
                Transport.best(), 0);
        System.out.println("Listening on " + server.localAddress());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "soak-server-shutdown"));
        server.terminationFuture().join();
    }
}
