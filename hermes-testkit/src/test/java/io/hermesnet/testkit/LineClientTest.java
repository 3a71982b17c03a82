package io.hermesnet.testkit;

import io.hermesnet.protocol.ServerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class LineClientTest {
    private static final Duration SHORT = Duration.ofMillis(200);

    /** Keeps the connection open until the client closes it. */
    private static void holdOpen(TinyServer.Conn c) throws Exception {
        while (c.in.readLine() != null) {
            // discard
        }
    }

    @Test
    void decodesCrlfLinesAndKeepsTicksApart() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("WELCOME 1 client1 0 Welcome to HermesNet!\r\nID 7\r\nMSG 2 bob h\u00e9llo\r\nID 8\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            ServerEvent.Welcome w = client.awaitWelcome();
            assertEquals(new ServerEvent.Welcome(1, "client1", 0, "Welcome to HermesNet!"), w);
            assertEquals(w, client.welcome());
            assertEquals("MSG 2 bob h\u00e9llo", client.next());
            assertEquals(7, client.awaitTick().value());
            assertEquals(8, client.awaitTick().value());
            assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "ID 7", "MSG 2 bob h\u00e9llo", "ID 8"),
                    client.transcript());
        }
    }

    @Test
    void awaitSkipsToTheMatchingLineAndReturnsItsGroups() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("CLIENTS 2\r\nJOIN 2 bob\r\nRANK 1\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            Matcher m = client.await("JOIN (\\d+) (\\S+)");
            assertEquals("2", m.group(1));
            assertEquals("bob", m.group(2));
            assertEquals("JOIN 2 bob", m.group());
            assertEquals("RANK 1", client.next());
        }
    }

    @Test
    void awaitFailureListsTheLinesSeen() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("one\r\ntwo\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            client.await("two");
            AssertionError e = assertThrows(AssertionError.class, () -> client.await("three", SHORT));
            assertTrue(e.getMessage().contains("no line matching /three/"), e.getMessage());
            assertTrue(e.getMessage().contains("one") && e.getMessage().contains("two"), e.getMessage());
        }
    }

    @Test
    void awaitReadyReturnsTheClientOrClosesIt() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("WELCOME 1 client1 0 hi\r\nCLIENTS 1\r\n");
            holdOpen(c);
        }); LineClient ready = LineClient.connect(srv.address()).awaitReady("WELCOME 1 .*")) {
            ready.await("CLIENTS 1");
        }
        try (TinyServer srv = new TinyServer(c -> {
            c.write("WELCOME 1 client1 0 hi\r\n");
            holdOpen(c);
        }); LineClient late = LineClient.builder(srv.address()).timeout(SHORT).connect()) {
            AssertionError e = assertThrows(AssertionError.class, () -> late.awaitReady("WELCOME 2 .*"));
            assertTrue(e.getMessage().contains("WELCOME 1 client1 0 hi"), e.getMessage());
            assertThrows(java.io.UncheckedIOException.class, () -> late.send("still there?"));
        }
    }

    @Test
    void builderJoinReadsTheWelcomeOrClosesTheClient() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("WELCOME 3 client3 2 hi\r\nCLIENTS 3\r\n");
            holdOpen(c);
        }); LineClient joined = LineClient.builder(srv.address()).join()) {
            assertEquals(new ServerEvent.Welcome(3, "client3", 2, "hi"), joined.welcome());
            assertEquals("CLIENTS 3", joined.next());
        }
        try (TinyServer srv = new TinyServer(c -> {
            c.write("ERROR FULL server is full (6/6)\r\n");
            holdOpen(c); // returns once the refused client has closed
        })) {
            AssertionError e = assertThrows(AssertionError.class, () -> LineClient.builder(srv.address()).join());
            assertTrue(e.getMessage().contains("ERROR FULL"), e.getMessage());
            srv.done().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void expectNextFailsOnAnyOtherLine() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("CLIENTS 1\r\nWELCOME 1 client1 0 hi\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            AssertionError e = assertThrows(AssertionError.class, client::awaitWelcome);
            assertTrue(e.getMessage().contains("CLIENTS 1"), e.getMessage());
        }
    }

    @Test
    void aServerLineWithoutCrFailsTheNextRead() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("ok\r\nbad\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            AssertionError e = assertThrows(AssertionError.class, () -> client.await("never", SHORT));
            assertTrue(e.getMessage().contains("not CRLF"), e.getMessage());
        }
    }

    @Test
    void lenientClientAcceptsBareLf() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("bad\n");
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).strictCrlf(false).connect()) {
            assertEquals("bad", client.next());
        }
    }

    @Test
    void invalidUtf8FromTheServerFails() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.writeBytes(new byte[] {'M', 'S', 'G', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            AssertionError e = assertThrows(AssertionError.class, client::next);
            assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        }
    }

    @Test
    void sendWritesUtf8WithLf() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            byte[] line = c.socket.getInputStream().readNBytes(8);
            c.write("GOT " + new String(line, StandardCharsets.UTF_8).replace("\n", "<LF>") + "\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            client.send("h\u00e9llo"); // 6 bytes + LF
            client.sendRaw(new byte[] {'!'});
            assertEquals("GOT h\u00e9llo<LF>!", client.next());
        }
    }

    @Test
    void awaitClosedReturnsTheLastLinesAndLaterReadsFailFast() throws Exception {
        try (TinyServer srv = new TinyServer(c -> c.write("a\r\nID 3\r\nBYE Goodbye\r\n"));
             LineClient client = LineClient.connect(srv.address())) {
            assertEquals(List.of("a", "BYE Goodbye"), client.awaitClosed());
            assertEquals(List.of("a", "ID 3", "BYE Goodbye"), client.transcript());
            AssertionError e = assertThrows(AssertionError.class, () -> client.await("x"));
            assertTrue(e.getMessage().contains("connection closed"), e.getMessage());
            assertTrue(client.isClosedByServer());
        }
    }

    @Test
    void awaitClosedFailsWhileTheConnectionIsOpen() throws Exception {
        try (TinyServer srv = new TinyServer(c -> { });
             LineClient client = LineClient.connect(srv.address())) {
            srv.done().join(); // the script has returned: the server closed the socket
            client.awaitClosed();
        }
        try (TinyServer srv = new TinyServer(LineClientTest::holdOpen);
             LineClient client = LineClient.connect(srv.address())) {
            AssertionError e = assertThrows(AssertionError.class, () -> client.awaitClosed(SHORT));
            assertTrue(e.getMessage().contains("still open"), e.getMessage());
        }
    }

    /** A stand-in for a HermesNet server's answers: unknown /verbs get ERROR UNKNOWN_COMMAND naming them. */
    private static void echoServer(TinyServer.Conn c) throws Exception {
        for (String line; (line = c.in.readLine()) != null; ) {
            if (line.startsWith("/")) {
                c.write("ERROR UNKNOWN_COMMAND " + line + " is not a command\r\n");
            } else {
                c.write("GOT " + line + "\r\n");
            }
        }
    }

    @Test
    void syncReturnsWhatArrivedBeforeItsAnswer() throws Exception {
        try (TinyServer srv = new TinyServer(LineClientTest::echoServer);
             LineClient client = LineClient.connect(srv.address())) {
            client.send("a");
            client.send("b");
            assertEquals(List.of("GOT a", "GOT b"), client.sync());
            client.expectNoMore();
            client.send("c");
            AssertionError e = assertThrows(AssertionError.class, client::expectNoMore);
            assertTrue(e.getMessage().contains("GOT c"), e.getMessage());
        }
    }

    @Test
    void awaitInputHandledLeavesTheLinesBeforeItsAnswerUnread() throws Exception {
        try (TinyServer srv = new TinyServer(LineClientTest::echoServer);
             LineClient client = LineClient.connect(srv.address())) {
            client.send("a");
            client.send("b");
            client.awaitInputHandled();
            assertEquals("GOT a", client.next(), "the answer goes, the lines before it stay, in order");
            client.send("c");
            client.awaitInputHandled();
            assertEquals(List.of("GOT b", "GOT c"), client.sync());
        }
    }

    @Test
    void awaitInputHandledReturnsOnceTheConnectionHasEnded() throws Exception {
        try (TinyServer srv = new TinyServer(c -> c.write("LAST\r\n"));
             LineClient client = LineClient.connect(srv.address())) {
            srv.done().join();
            client.awaitInputHandled(); // no answer will come: the server is gone
            assertEquals(List.of("LAST"), client.awaitClosed(), "the line and the end stay to be read");
        }
    }

    @Test
    void syncRunsItsBarrierFirst() throws Exception {
        List<String> order = new java.util.ArrayList<>();
        try (TinyServer srv = new TinyServer(LineClientTest::echoServer);
             LineClient client = LineClient.builder(srv.address()).beforeSync(() -> order.add("barrier")).connect()) {
            client.send("a");
            order.addAll(client.sync());
            assertEquals(List.of("barrier", "GOT a"), order);
        }
    }

    @Test
    void drainTakesOnlyWhatHasArrived() throws Exception {
        try (TinyServer srv = new TinyServer(LineClientTest::echoServer);
             LineClient client = LineClient.connect(srv.address())) {
            assertEquals(List.of(), client.drain());
            client.send("x");
            client.await("GOT x");
            client.send("y");
            client.sync();
            assertEquals(List.of(), client.drain());
        }
    }

    @Test
    void assertNoTickWithinFailsWhenTicksFlow() throws Exception {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong n = new AtomicLong();
        try (TinyServer srv = new TinyServer(c -> {
            ticker.scheduleAtFixedRate(() -> {
                try {
                    c.write("ID " + n.getAndIncrement() + "\r\n");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, 10, 10, TimeUnit.MILLISECONDS);
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            long first = client.awaitTick().value();
            assertTrue(client.awaitTick().value() > first);
            assertThrows(AssertionError.class, () -> client.assertNoTickWithin(Duration.ofSeconds(2)));
            assertEquals(List.of(), client.drain(), "ticks never reach the line stream");
        } finally {
            ticker.shutdownNow();
        }
    }

    @Test
    void assertNoTickWithinPassesWithoutTicks() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("MSG 1 a b\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            client.assertNoTickWithin(SHORT);
            assertEquals("MSG 1 a b", client.next());
        }
    }

    @Test
    void inlineTicksStayInTheLineStream() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("ID 1\r\nMSG 1 a b\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).ticksInline(true).connect()) {
            assertEquals("ID 1", client.next());
            assertEquals("MSG 1 a b", client.next());
            assertThrows(IllegalStateException.class, client::awaitTick);
        }
    }

    @Test
    void aPausedClientReadsNothingUntilResumed() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("hello\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).startPaused(true).receiveBufferSize(4096).connect()) {
            assertThrows(AssertionError.class, () -> client.next(SHORT));
            assertTrue(client.transcript().isEmpty());
            client.resumeReading();
            assertEquals("hello", client.next());
        }
    }

    @Test
    void closeIsIdempotentAndSendAfterCloseFails() throws Exception {
        try (TinyServer srv = new TinyServer(LineClientTest::holdOpen)) {
            LineClient client = LineClient.connect(srv.address());
            assertFalse(client.isClosedByServer());
            client.close();
            client.close();
            assertThrows(java.io.UncheckedIOException.class, () -> client.send("x"));
            srv.done().join();
        }
    }

    @Test
    void shutdownOutputSendsEofButKeepsReading() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            holdOpen(c); // returns on the client's EOF
            c.write("BYE after EOF\r\n");
        }); LineClient client = LineClient.connect(srv.address())) {
            client.shutdownOutput();
            assertEquals(List.of("BYE after EOF"), client.awaitClosed());
        }
    }

    @Test
    void literalLinesNeedNoEscaping() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("MSG 1 a [2J (x)\r\nskip me\r\nERROR FULL server is full (6/6)\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).timeout(SHORT).connect()) {
            client.expectLine("MSG 1 a [2J (x)");
            assertEquals("ERROR FULL server is full (6/6)", client.awaitLine("ERROR FULL server is full (6/6)"));
            AssertionError e = assertThrows(AssertionError.class, () -> client.expectLine("x"));
            assertTrue(e.getMessage().contains("no line within"), e.getMessage());
        }
    }

    @Test
    void drainTicksTakesTheTicksReceivedSoFar() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("ID 1\r\nID 2\r\nfirst\r\n");
            c.in.readLine();
            c.write("ID 3\r\nsecond\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.connect(srv.address())) {
            client.expectLine("first");
            assertEquals(List.of(1L, 2L), client.drainTicks().stream().map(LineClient.Tick::value).toList());
            assertEquals(List.of(), client.drainTicks());
            client.send("go");
            client.expectLine("second");
            assertEquals(3, client.awaitTick().value());
        }
    }

    @Test
    void aLineCutByTheEndOfTheConnectionIsKeptApartNotDelivered() throws Exception {
        try (TinyServer srv = new TinyServer(c -> c.write("whole\r\ncut in ha"));
             LineClient client = LineClient.connect(srv.address())) {
            assertEquals(List.of("whole"), client.awaitClosed());
            assertEquals("cut in ha", client.unterminatedTail());
            AssertionError e = assertThrows(AssertionError.class, client::next);
            assertTrue(e.getMessage().contains("cut in ha"), e.getMessage());
        }
    }

    @Test
    void keepLinesDropsTheRejectedLinesButCountsTheirBytes() throws Exception {
        String sent = "MSG 1 a flood\r\nRANK 0\r\nMSG 1 a flood\r\nCLIENTS 2\r\n";
        AtomicLong dropped = new AtomicLong();
        try (TinyServer srv = new TinyServer(c -> {
            c.write(sent);
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).keepLines(l -> {
            if (l.startsWith("MSG ")) {
                dropped.incrementAndGet();
                return false;
            }
            return true;
        }).connect()) {
            assertEquals("RANK 0", client.next());
            assertEquals("CLIENTS 2", client.next());
            assertEquals(List.of("RANK 0", "CLIENTS 2"), client.transcript(), "dropped lines are not kept");
            assertEquals(2, dropped.get());
            assertEquals("CLIENTS 2", client.lastLine());
            assertTrue(client.awaitReceivedBytes(sent.length(), SHORT));
            assertEquals(sent.length(), client.receivedBytes(), "every byte counts, kept or not");
        }
    }

    @Test
    void linesUntilReturnsTheLinesBeforeTheMatchAndTheMatch() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("JOIN 2 bob\r\nMSG 1 a flood\r\nRANK 0\r\nCLIENTS 2\r\n");
            holdOpen(c);
        }); LineClient client = LineClient.builder(srv.address()).keepLines(l -> !l.startsWith("MSG ")).connect()) {
            assertEquals(List.of("JOIN 2 bob", "RANK 0"), client.linesUntil(java.util.regex.Pattern.compile("RANK \\d+"), SHORT));
            assertEquals("CLIENTS 2", client.next());
            assertThrows(AssertionError.class, () -> client.linesUntil(java.util.regex.Pattern.compile("RANK \\d+"), SHORT));
        }
    }

    @Test
    void awaitReceivedBytesIsFalseWhenTheConnectionEndsFirstAndFailsWhileItIsOpen() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("abc\r\n");
            c.in.readLine(); // the client's go-ahead
        }); LineClient client = LineClient.connect(srv.address())) {
            assertTrue(client.awaitReceivedBytes(5, SHORT));
            AssertionError e = assertThrows(AssertionError.class, () -> client.awaitReceivedBytes(6, SHORT));
            assertTrue(e.getMessage().contains("received 5 of 6 bytes"), e.getMessage());
            client.send("go");
            assertFalse(client.awaitReceivedBytes(6, Duration.ofSeconds(5)), "the server closed after 5 bytes");
        }
    }

    @Test
    void floodSendsAtMostMaxChunksAndCompletesWithTheBytesSent() throws Exception {
        byte[] chunk = "flood line\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        AtomicLong serverGot = new AtomicLong();
        try (TinyServer srv = new TinyServer(c -> {
            InputStream in = c.socket.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                serverGot.addAndGet(n);
            }
        }); LineClient client = LineClient.connect(srv.address())) {
            long sent = client.flood(chunk, 500, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertEquals(500L * chunk.length, sent);
            client.shutdownOutput();
            srv.done().get(5, TimeUnit.SECONDS);
            assertEquals(sent, serverGot.get(), "the server read exactly the flood");
        }
    }

    @Test
    void aFloodEndsWhenTheServerClosesAndWhenItsTimeIsUp() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        // the reset comes once the flood has begun (a reset during the connect failed the connect instead)
        try (TinyServer srv = new TinyServer(c -> {
            c.socket.getInputStream().read();
            c.socket.setSoLinger(true, 0); // then reset
        });
             LineClient client = LineClient.connect(srv.address())) {
            long sent = client.flood(chunk, Long.MAX_VALUE, Duration.ofSeconds(8)).get(5, TimeUnit.SECONDS);
            assertTrue(sent < Long.MAX_VALUE, "ended by the reset: " + sent);
        }
        try (TinyServer srv = new TinyServer(LineClientTest::holdOpen);
             LineClient client = LineClient.connect(srv.address())) {
            CompletableFuture<Long> flood = client.flood("x\n".getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE, SHORT);
            assertTrue(flood.get(5, TimeUnit.SECONDS) > 0, "ended by its time bound");
        }
    }

    @Test
    void closingTheClientEndsAFloodBlockedByAServerThatDoesNotRead() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (TinyServer srv = new TinyServer(c -> release.get(10, TimeUnit.SECONDS)); // never reads
             LineClient client = LineClient.connect(srv.address())) {
            CompletableFuture<Long> flood = client.flood(new byte[64 * 1024], Long.MAX_VALUE, Duration.ofMinutes(1));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> flood.get(300, TimeUnit.MILLISECONDS),
                    "the socket buffers are full, the flood is stuck");
            client.close();
            assertTrue(flood.get(5, TimeUnit.SECONDS) > 0);
        } finally {
            release.complete(null);
        }
    }

    @Test
    void abortResetsTheConnection() throws Exception {
        try (TinyServer srv = new TinyServer(c -> {
            c.write("ready\r\n");
            assertThrows(SocketException.class, c.in::read, "a reset, not an orderly EOF");
        }); LineClient client = LineClient.connect(srv.address())) {
            client.expectLine("ready");
            client.abort();
            srv.done().get(5, TimeUnit.SECONDS);
        }
    }
}
