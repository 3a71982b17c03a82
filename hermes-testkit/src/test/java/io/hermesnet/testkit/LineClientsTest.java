package io.hermesnet.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LineClients}: many clients read by one thread, against a real server. */
@Timeout(20)
class LineClientsTest {
    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).maxClients(60)).build();

    @Test
    void groupedClientsJoinChatAndSeeEachOthersLines() throws Exception {
        try (LineClients group = LineClients.open()) {
            List<LineClient> clients = group.connect(server.address(), 50, b -> b.timeout(Duration.ofSeconds(10)));
            for (LineClient c : clients) {
                c.awaitWelcome();
            }
            for (LineClient c : clients) {
                c.await("CLIENTS 50");
            }
            LineClient first = clients.get(0);
            first.send("hello all");
            for (LineClient c : clients.subList(1, clients.size())) {
                c.expectLine("MSG 1 client1 hello all");
            }
            first.expectNoMore();
            assertEquals(clients, group.clients());
        }
    }

    @Test
    void aGroupedClientCanSendMoreThanTheSocketBufferTakesAtOnce() throws Exception {
        try (LineClients group = LineClients.open()) {
            LineClient sender = group.connect(server.address(), 1, b -> { }).get(0);
            LineClient reader = server.join();
            sender.awaitWelcome();
            reader.await("CLIENTS 2");
            byte[] big = "x".repeat(1000).concat("\n").repeat(4000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sender.sendRaw(big); // 4 MB: the non-blocking channel waits for room, the server reads it all
            long messages = 0;
            while (messages < 4000) {
                reader.await("MSG 1 client1 x{1000}");
                messages++;
            }
            sender.send("done");
            reader.expectLine("MSG 1 client1 done");
        }
    }

    @Test
    void abortAndCloseOfAGroupedClientReachTheServer() throws Exception {
        try (LineClients group = LineClients.open()) {
            List<LineClient> clients = group.connect(server.address(), 3, b -> { });
            clients.forEach(LineClient::awaitWelcome);
            LineClient watcher = clients.get(0);
            watcher.await("CLIENTS 3");
            clients.get(1).abort();
            watcher.await("LEAVE 2 client2 closed");
            clients.get(2).close();
            watcher.await("LEAVE 3 client3 closed");
        }
    }

    @Test
    void closingTheGroupClosesEveryClient() throws Exception {
        LineClient watcher = server.join();
        LineClients group = LineClients.open();
        List<LineClient> clients = group.connect(server.address(), 5, b -> { });
        clients.forEach(LineClient::awaitWelcome);
        watcher.await("CLIENTS 6");
        group.close();
        watcher.await("CLIENTS 1");
        assertThrows(java.io.UncheckedIOException.class, () -> clients.get(0).send("x"));
    }

    @Test
    void aGroupedClientReportsTheServersCloseAndCountsBytes() throws Exception {
        try (LineClients group = LineClients.open()) {
            LineClient c = group.connect(server.address(), 1, b -> b.keepLines(l -> !l.startsWith("CLIENTS "))).get(0);
            c.awaitWelcome();
            c.send("/logout");
            assertEquals(List.of("BYE Goodbye"), c.awaitClosed());
            assertTrue(c.isClosedByServer());
            assertTrue(c.receivedBytes() > "BYE Goodbye\r\n".length());
            assertTrue(c.transcript().stream().noneMatch(l -> l.startsWith("CLIENTS ")), c.transcript().toString());
        }
    }

    @Test
    void aGroupedClientCannotPauseOrSpeakTls() throws Exception {
        try (LineClients group = LineClients.open()) {
            LineClient c = group.connect(server.address(), 1, b -> { }).get(0);
            assertThrows(IllegalStateException.class, c::pauseReading);
            assertThrows(IllegalStateException.class,
                    () -> LineClient.builder(server.address()).readBy(group).startPaused(true).connect());
        }
    }
}
