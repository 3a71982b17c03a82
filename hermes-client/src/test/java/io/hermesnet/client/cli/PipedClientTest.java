package io.hermesnet.client.cli;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hermes-client} with piped stdin, end to end against an in-process {@link HermesServer}. */
@Timeout(30)
class PipedClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private HermesServer server;
    private String port;

    @BeforeEach
    void startServer() throws IOException {
        server = HermesServer.start(HermesConfig.builder().tickInterval(Duration.ZERO).build(),
                new InetSocketAddress("127.0.0.1", 0));
        port = Integer.toString(server.localAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsEachLineThenLogsOutAndExitsZeroAfterBye() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 client1 0 .*", WAIT);
            ClientRun bob = ClientRun.start(input("hi\nhow are you?\n"), "--raw", "127.0.0.1", port, "bob");
            alice.await("MSG 2 bob hi", WAIT);
            alice.await("MSG 2 bob how are you\\?", WAIT);
            assertEquals(0, bob.awaitExit(WAIT));
            alice.await("LEAVE 2 bob logout", WAIT);
            List<String> lines = bob.out.lines();
            assertEquals("WELCOME 2 client2 1 Welcome to HermesNet!", lines.get(0));
            assertTrue(lines.contains("NAME bob"), lines.toString());
            assertEquals("BYE Goodbye", lines.get(lines.size() - 1));
            assertTrue(bob.err.lines().isEmpty(), bob.err.lines().toString());
        }
    }

    @Test
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    void everyReceivedLineIsPrintedAsItCame() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream(); LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME .*", WAIT);
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            alice.await("RENAME 2 client2 bob", WAIT);
            alice.send("hello bob");
            bob.out.await("MSG 1 client1 hello bob", WAIT);
            alice.send("/nick alice");
            bob.out.await("RENAME 1 client1 alice", WAIT);
            stdin.write("/who\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            bob.out.await("WHO 1 alice 0 - 127\\.0\\.0\\.1:\\d+", WAIT);
            bob.out.await("WHO 2 bob 1 - 127\\.0\\.0\\.1:\\d+", WAIT);
            bob.out.await("END WHO 2", WAIT);
            stdin.close();
            assertEquals(0, bob.awaitExit(WAIT));
        }
    }

    @Test
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    void answersExecFromAHigherRankWithTheBuiltins() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream(); LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 client1 0 .*", WAIT);
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            alice.await("RENAME 2 client2 bob", WAIT);

            alice.send("/exec 1 echo ping pong");
            String id = alice.await("OK EXEC (\\d+) 1 bob", WAIT).group(1);
            alice.await("RESULT " + id + " bob ping pong", WAIT);
            bob.out.await("EXEC " + id + " 0 client1 echo ping pong", WAIT);

            alice.send("EXEC 1 whoami");
            id = alice.await("OK EXEC (\\d+) 1 bob", WAIT).group(1);
            alice.await("RESULT " + id + " bob bob", WAIT);

            alice.send("/exec 1 rank");
            id = alice.await("OK EXEC (\\d+) 1 bob", WAIT).group(1);
            alice.await("RESULT " + id + " bob 1", WAIT);

            alice.send("/exec 1 sh -c reboot");
            id = alice.await("OK EXEC (\\d+) 1 bob", WAIT).group(1);
            alice.await("RESULT " + id + " bob unknown command: sh \\(known: echo help rank time uptime whoami\\)", WAIT);

            stdin.close();
            assertEquals(0, bob.awaitExit(WAIT));
        }
    }

    @Test
    void serverShutdownPrintsByeAndExitsZero() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            bob.out.await("NAME bob", WAIT);
            server.close();
            bob.out.await("BYE Thank you", WAIT);
            assertEquals(0, bob.awaitExit(WAIT));
            assertTrue(bob.err.lines().isEmpty(), bob.err.lines().toString());
        }
    }

    @Test
    void aFullServerIsOneClearLineAndExitOne() throws Exception {
        server.close();
        server = HermesServer.start(HermesConfig.builder().tickInterval(Duration.ZERO).maxClients(1).build(),
                new InetSocketAddress("127.0.0.1", 0));
        port = Integer.toString(server.localAddress().getPort());
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME .*", WAIT);
            ClientRun bob = ClientRun.start(input("hi\n"), "--raw", "127.0.0.1", port, "bob");
            assertEquals(1, bob.awaitExit(WAIT));
            assertEquals(List.of("ERROR FULL server is full (1/1)"), bob.out.lines());
            assertEquals(List.of("cannot join 127.0.0.1:" + port + ": server is full (1/1)"), bob.err.lines());
        }
    }

    @Test
    void logFileHoldsStateRxTxLinesAndNothingReachesStdout(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = dir.resolve("client.log");
        ClientRun bob = ClientRun.start(input("hi\n"), "--log-file", log.toString(), "127.0.0.1", port, "bob");
        assertEquals(0, bob.awaitExit(WAIT));
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[INFO] \\[client] \\[(STATE|RX|TX|EXEC)] .+"),
                    line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[STATE] Connecting to 127.0.0.1:" + port)), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*\\[STATE] Connected to 127\\.0\\.0\\.1:" + port + " from 127\\.0\\.0\\.1:\\d+")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[TX] /nick bob")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[TX] hi")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[RX] BYE Goodbye")), lines.toString());
        assertTrue(bob.out.lines().stream().noneMatch(l -> l.contains("[client]")), bob.out.lines().toString());
        assertTrue(bob.err.lines().isEmpty(), bob.err.lines().toString());
    }

    @Test
    void aQuitLineInTheInputEndsTheSession() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME .*", WAIT);
            ClientRun bob = ClientRun.start(input("before\n/quit\nafter\n"), "127.0.0.1", port, "bob");
            assertEquals(0, bob.awaitExit(WAIT));
            alice.await("MSG 2 bob before", WAIT);
            Matcher leave = alice.await("LEAVE 2 bob (\\w+)|MSG 2 bob after", WAIT);
            assertEquals("logout", leave.group(1), "the line after /quit must not be sent");
        }
    }

    @Test
    void aTakenNameGetsAFreeVariantAndTheClientSaysSo() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun first = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            first.out.await("NAME bob", WAIT);
            try (LineClient alice = LineClient.connect(server.localAddress())) {
                alice.await("WELCOME .*", WAIT);
                ClientRun second = ClientRun.start(input("hello\n"), "127.0.0.1", port, "bob");
                alice.await("RENAME 3 client3 bob-2", WAIT);
                alice.await("MSG 3 bob-2 hello", WAIT); // the held line goes out under the new name
                assertEquals(0, second.awaitExit(WAIT));
                assertTrue(second.out.lines().stream().anyMatch(l -> l.endsWith("*** you are now bob-2")), second.out.lines().toString());
                assertEquals(List.of("bob is taken; you are bob-2"), second.err.lines());
            }
            stdin.close();
            assertEquals(0, first.awaitExit(WAIT));
        }
    }

    @Test
    void pipedWhoPrintsTheWhoAnswerWordedBeforeLeaving() throws Exception {
        ClientRun bob = ClientRun.start(input("/who\n"), "127.0.0.1", port, "bob");
        assertEquals(0, bob.awaitExit(WAIT));
        List<String> lines = bob.out.lines();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d     rank 0   bob +id 1  127\\.0\\.0\\.1:\\d+")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("*** 1 client connected")), lines.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith("*** disconnected: Goodbye"), lines.toString());
    }

    @Test
    void pipedInputWaitsForTheAnswerToItsExecBeforeLoggingOut() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "127.0.0.1", port, "bob");
            bob.out.await(".*you are now bob", WAIT);
            try (LineClient alice = LineClient.connect(server.localAddress())) {
                alice.await("WELCOME .*", WAIT);
                stdin.write("/exec 1 date\n".getBytes(StandardCharsets.UTF_8));
                stdin.close(); // the input ends before anyone answered
                String id = alice.await("EXEC (\\d+) 0 bob date", WAIT).group(1);
                alice.send("/result " + id + " Tuesday");
                assertEquals(0, bob.awaitExit(WAIT));
                assertTrue(bob.out.lines().stream().anyMatch(l -> l.endsWith("<<< client2 answered exec " + id + ": Tuesday")),
                        bob.out.lines().toString());
                alice.await("LEAVE 1 bob logout", WAIT);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // stdin stays open: the user has not left
    void reconnectSurvivesAServerRestartAndAsksForTheNameAgain() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "--reconnect", "127.0.0.1", port, "bob");
            bob.out.await("NAME bob", WAIT);
            InetSocketAddress address = server.localAddress();
            server.close(); // BYE Thank you: a restart, not the user's quit
            bob.out.await("BYE Thank you", WAIT);
            server = HermesServer.start(HermesConfig.builder().tickInterval(Duration.ZERO).build(), address);
            try (LineClient alice = LineClient.connect(server.localAddress())) {
                alice.await("WELCOME .*", WAIT);
                alice.await("RENAME \\d+ client\\d+ bob", Duration.ofSeconds(20));
                stdin.write("back\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                alice.await("MSG \\d+ bob back", WAIT);
            }
            List<String> err = bob.err.lines();
            assertTrue(err.size() >= 1, err.toString());
            for (String line : err) { // one line per attempt
                assertTrue(line.matches("(the server closed the connection \\(Thank you\\)|cannot connect to 127\\.0\\.0\\.1:"
                        + port + ": connection refused); retrying in \\d+\\.\\d s \\(retry \\d+\\)"), line);
            }
            stdin.close();
            assertEquals(0, bob.awaitExit(WAIT));
        }
    }
}
