package io.hermesnet.spec;

import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docs/protocol.md §3.9 Shutdown (the in-process part: {@link HermesServer#shutdown}/{@link HermesServer#close}), over real sockets. */
@Timeout(20)
class ShutdownSpecTest {
    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ofMillis(20)))
            .build();

    private static void assertLastLine(String expected, LineClient c) {
        c.awaitClosed();
        List<String> all = c.transcript();
        assertEquals(expected, all.get(all.size() - 1), "the last line, ticks included: " + all);
        assertEquals(1, all.stream().filter(l -> l.startsWith("BYE ")).count(), "one BYE: " + all);
    }

    @Test
    void closeSendsByeThankYouAsEveryClientsLastLineAndReleasesThePort() {
        List<LineClient> clients = Clients.join(server, 3);
        for (LineClient c : clients) {
            c.awaitTick(); // ticks are flowing
        }
        InetSocketAddress address = server.address();
        server.server().close();
        for (LineClient c : clients) {
            assertLastLine("BYE Thank you", c); // no LEAVE, CLIENTS or ID after it
        }
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(address, 2000), "the port is released");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theDisconnectTextIsTheOnlyByeToo() {
        List<LineClient> clients = Clients.join(server, 2);
        server.server().shutdown(HermesServer.WILL_DISCONNECT);
        for (LineClient c : clients) {
            assertLastLine("BYE THE SERVER WILL DISCONNECT", c);
        }
        server.server().close(); // a second shutdown sends nothing more and returns
        for (LineClient c : clients) {
            assertLastLine("BYE THE SERVER WILL DISCONNECT", c);
        }
    }

    @Test
    void aStuckClientDelaysNoOne() throws Exception {
        server.configure(c -> c.shutdownTimeout(Duration.ofSeconds(3)).maxPendingBytes(256L << 20)
                .writeTimeout(Duration.ZERO).maxLineBytes(8192));
        LineClient stuck = server.client(b -> b.receiveBufferSize(4096).startPaused(true));
        LineClient flooder = server.join();
        LineClient fine = server.join();
        String line = "y".repeat(8000);
        for (int i = 0; i < 800; i++) { // ~6 MiB: the stuck client's BYE cannot be flushed
            flooder.send(line);
        }
        flooder.sync();
        Clients.settle(fine);
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.server().close());
        assertLastLine("BYE Thank you", fine);
        assertLastLine("BYE Thank you", flooder);
        assertFalse(shutdown.isDone(), "the shutdown still waits for the stuck client");
        // bounded by --shutdown-timeout: the stuck client never reads, so only the bound ends the wait
        shutdown.get(10, TimeUnit.SECONDS);
        stuck.resumeReading();
        stuck.awaitClosed(Duration.ofSeconds(10)); // closed by force
    }
}
