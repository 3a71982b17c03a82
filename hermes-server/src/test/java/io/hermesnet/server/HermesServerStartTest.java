package io.hermesnet.server;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.testkit.LineClient;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways hermes-server starts beyond {@code HermesServer.start}: bound but not accepting until told
 * ({@link HermesServer#bindNotAccepting}), on event loops it is given and does not stop (a cluster node's,
 * shared with its Redis connections), and a second server on the first one's event loops
 * ({@link HermesServer#startBeside}), as its start-up warm-up uses them. Real sockets on 127.0.0.1.
 */
class HermesServerStartTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private static HermesConfig config() {
        return HermesConfig.builder().tickInterval(Duration.ZERO).shutdownTimeout(Duration.ofSeconds(1)).build();
    }

    @Test
    void aServerBoundNotAcceptingWelcomesItsFirstClientOnlyOnceItAccepts() throws Exception {
        HermesHub hub = new HermesHub(config());
        HermesServer server = HermesServer.bindNotAccepting(hub, List.of(HermesServer.Listener.plain(ANY_PORT)),
                Transport.best(), 2);
        try (LineClient early = LineClient.builder(server.localAddress()).timeout(WAIT).connect()) {
            // a server beside it, on the same acceptor thread, takes and welcomes a client meanwhile
            HermesServer beside = server.startBeside(new HermesHub(config()),
                    List.of(HermesServer.Listener.plain(ANY_PORT)));
            try (LineClient other = LineClient.builder(beside.localAddress()).timeout(WAIT).join()) {
                assertEquals(1, other.welcome().id());
                other.await("CLIENTS 1");
            } finally {
                beside.close();
            }
            assertEquals(0, hub.clientCount(), "a client was taken before the server accepts");
            assertNull(early.lastLine(), "the early client was answered before the server accepts");
            assertTrue(!server.isAccepting());

            server.setAccepting(true);
            early.awaitReady("WELCOME 1 client1 0 .*");
            early.await("CLIENTS 1");
            assertTrue(server.isAccepting());
        } finally {
            server.close();
        }
    }

    @Test
    void aServerBesideAnotherSharesItsEventLoopsNotItsClientsAndClosesAlone() throws Exception {
        HermesHub hub = new HermesHub(config());
        HermesServer server = HermesServer.start(hub, ANY_PORT, Transport.best(), 2);
        try (LineClient alice = LineClient.builder(server.localAddress()).timeout(WAIT).join()) {
            alice.await("CLIENTS 1");
            HermesServer beside = server.startBeside(new HermesHub(config()),
                    List.of(HermesServer.Listener.plain(ANY_PORT)));
            assertSame(server.eventLoops(), beside.eventLoops());
            try (LineClient bob = LineClient.builder(beside.localAddress()).timeout(WAIT).join()) {
                assertEquals(1, bob.welcome().id(), "ids are its own hub's");
                bob.await("CLIENTS 1");
                bob.send("/who");
                bob.await("WHO 1 client1 0 .*");
                bob.await("END WHO 1");
                bob.send("only beside");
            }
            beside.close();
            assertTrue(beside.terminationFuture().isDone());

            // the first server's loops still run: its client chats on, and saw nothing of the other's
            for (EventExecutor loop : server.eventLoops()) {
                assertTrue(!loop.isShuttingDown(), "closing the server beside stopped a shared loop");
            }
            try (LineClient carol = LineClient.builder(server.localAddress()).timeout(WAIT).join()) {
                assertEquals(2, carol.welcome().id());
                alice.await("CLIENTS 2");
                carol.send("hello");
                alice.await("MSG 2 client2 hello");
            }
            alice.await("LEAVE 2 client2 .*");
            alice.await("CLIENTS 1");
            alice.send("/who");
            alice.await("WHO 1 client1 0 .*");
            alice.await("END WHO 1");
            alice.expectNoMore();
            assertTrue(alice.transcript().stream().noneMatch(l -> l.contains("only beside")), alice.transcript().toString());
        } finally {
            server.close();
        }
        assertTrue(server.eventLoops().terminationFuture().await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aServerOnTheCallersLoopsSaysByeAtShutdownAndLeavesTheLoopsRunning() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup loops = transport.newEventLoops(2);
        try {
            HermesServer server = HermesServer.bindNotAccepting(new HermesHub(config()),
                    List.of(HermesServer.Listener.plain(ANY_PORT)), transport, loops);
            assertSame(loops, server.eventLoops());
            server.setAccepting(true);
            try (LineClient alice = LineClient.builder(server.localAddress()).timeout(WAIT).join()) {
                alice.await("CLIENTS 1");
                server.shutdown("Thank you");
                alice.await("BYE Thank you");
                alice.awaitClosed();
            }
            assertTrue(server.terminationFuture().isDone());
            // what else the caller runs on its loops (a cluster's Redis connections) outlives the server
            for (EventExecutor loop : loops) {
                assertTrue(!loop.isShuttingDown(), "the server stopped a loop it was given");
                assertEquals("ran", loop.submit(() -> "ran").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            try (Socket refused = new Socket()) {
                assertThrows(ConnectException.class, () -> refused.connect(server.localAddress(), 2000),
                        "the port is released at shutdown, not when the caller stops the loops");
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
