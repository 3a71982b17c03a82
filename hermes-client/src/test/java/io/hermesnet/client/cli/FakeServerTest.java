package io.hermesnet.client.cli;

import io.hermesnet.testkit.LineSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server behaviour a real HermesServer never shows on purpose (closing without {@code BYE}, ignoring a
 * logout), played by a plain {@link ServerSocket}.
 */
@Timeout(30)
class FakeServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerSocket listener;
    private String port;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        // a client that never (re)connects fails the test with a timeout instead of hanging the build
        listener.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        port = Integer.toString(listener.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket s, String lines) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(lines.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aConnectionClosedWithoutByeIsLostAndExitsOne() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            try (Socket s = listener.accept()) {
                assertEquals("/nick bob", reader(s).readLine());
                send(s, "WELCOME 1 client1 0 hi\r\nNAME bob\r\n");
                bob.out.await("NAME bob", WAIT);
            }
            assertEquals(1, bob.awaitExit(WAIT));
            assertEquals(List.of("connection to 127.0.0.1:" + port + " lost"), bob.err.lines());
        }
    }

    @Test
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    void reconnectsAfterALostConnectionAndSendsNickAgain() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "--reconnect", "127.0.0.1", port, "bob");
            try (Socket first = listener.accept()) {
                assertEquals("/nick bob", reader(first).readLine());
                send(first, "WELCOME 1 client1 0 hi\r\n");
                bob.out.await("WELCOME 1 .*", WAIT);
            }
            try (Socket second = acceptReconnect(bob)) {
                BufferedReader in = reader(second);
                assertEquals("/nick bob", in.readLine());
                send(second, "WELCOME 2 client2 0 hi again\r\nNAME bob\r\n");
                bob.out.await("NAME bob", WAIT);
                stdin.write("still here\n".getBytes(StandardCharsets.UTF_8));
                stdin.close();
                assertEquals("still here", in.readLine());
                assertEquals("/quit", in.readLine());
                send(second, "BYE Goodbye\r\n");
            }
            assertEquals(0, bob.awaitExit(WAIT));
            List<String> err = bob.err.lines();
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).startsWith("connection to 127.0.0.1:" + port + " lost; retrying in "), err.get(0));
        }
    }

    @Test
    void noByeAfterLogoutIsGivenUpOnAfterTheQuitTimeout() throws Exception {
        LineSource out = LineSource.capturing("out");
        LineSource err = LineSource.capturing("err");
        ClientOptions options = new ClientOptions("127.0.0.1", Integer.parseInt(port), "bob", false, 0,
                Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300), null);
        PipedConsole console = new PipedConsole(new java.io.ByteArrayInputStream("hi\n".getBytes(StandardCharsets.UTF_8)),
                out.printWriter(), err.printWriter());
        Thread server = new Thread(() -> {
            try (Socket s = listener.accept()) {
                BufferedReader in = reader(s);
                send(s, "WELCOME 1 client1 0 hi\r\n");
                while (in.readLine() != null) {
                    // swallow everything, /quit included, and never say BYE
                }
            } catch (IOException e) {
                // the client closed
            }
        });
        server.start();
        int exit = new ClientRunner(options, console, io.hermesnet.client.ExecRegistry.withBuiltins(java.time.Clock.systemUTC()),
                new Backoff(new Random(1))).run();
        assertEquals(1, exit);
        assertEquals(List.of("no BYE from 127.0.0.1:" + port + " within 0.3 s; closing the connection"), err.lines());
        server.join(WAIT.toMillis());
    }

    /**
     * A session with a hostile server (terminal escapes, a CR, NUL, DEL and C1 controls, lookups in what it sends)
     * and a user who types an escape, logged to {@code log} with {@code --log-format format}; returns the file.
     */
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    private String hostileSessionLogged(java.nio.file.Path log, String format) throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "--log-file", log.toString(),
                    "--log-format", format, "127.0.0.1", port, "bob");
            try (Socket s = listener.accept()) {
                BufferedReader in = reader(s);
                assertEquals("/nick bob", in.readLine());
                send(s, "WELCOME 1 client1 0 hi\u001b[2J\r\nNAME bob\r\n"
                        + "MSG 2 eve hi\rFORGED [STATE] Disconnected\u0000\u007f\u0085\u009b ${jndi:ldap://127.0.0.1:1/a} ${env:HOME}\r\n"
                        + "EXEC 7 eve 1 echo \u001b]0;title\u0007\r\nNEWS last\r\n");
                bob.out.await("NEWS last", WAIT);
                stdin.write("typed \u001b[31mred\n".getBytes(StandardCharsets.UTF_8));
                stdin.close();
                List<String> sent = new java.util.ArrayList<>();
                for (String line; !"/quit".equals(line = in.readLine()); ) {
                    assertTrue(line != null, "no /quit after " + sent);
                    sent.add(line);
                }
                send(s, "BYE Goodbye\r\n");
            }
            assertEquals(0, bob.awaitExit(WAIT));
        }
        String text = new String(java.nio.file.Files.readAllBytes(log), StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' || c >= 0x7F && c <= 0x9F;
            assertTrue(!control, "raw U+" + Integer.toHexString(c) + " at " + i + " in the log file:\n" + text);
        }
        return text;
    }

    /**
     * docs/protocol.md §3.10: the log file holds what the server sent and what the user typed with every control
     * character escaped, one log line per event (a raw CR or ESC would forge a line or drive the terminal of
     * whoever reads the file), and lookups stay literal.
     */
    @Test
    void theLogFileHoldsHostileLinesEscaped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String text = hostileSessionLogged(dir.resolve("client.log"), "text");
        List<String> lines = List.of(text.split("\n"));
        for (String line : lines) {
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[INFO] \\[client] \\[(STATE|RX|TX|EXEC)] .+"), line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[RX] WELCOME 1 client1 0 hi\\x1b[2J")), text);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[RX] MSG 2 eve hi\\rFORGED [STATE] Disconnected\\x00\\x7f\\x85\\x9b"
                + " ${jndi:ldap://127.0.0.1:1/a} ${env:HOME}")), text);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[TX] typed \\x1b[31mred")), text);
    }

    /** {@code --log-format json}: the same events, one JSON object per line, the messages escaped as in the text lines. */
    @Test
    void theJsonLogFileIsOneObjectPerLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String text = hostileSessionLogged(dir.resolve("client.json"), "json");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
            assertTrue(event.isObject(), line);
            assertEquals("client", event.path("app").asText(), line);
            assertEquals("INFO", event.path("level").asText(), line);
            assertTrue(event.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*"), line);
            events.add(event);
        }
        List<String> rx = events.stream().filter(e -> e.path("category").asText().equals("RX"))
                .map(e -> e.path("message").asText()).toList();
        assertTrue(rx.contains("MSG 2 eve hi\\rFORGED [STATE] Disconnected\\x00\\x7f\\x85\\x9b ${jndi:ldap://127.0.0.1:1/a} ${env:HOME}"),
                rx.toString());
        assertTrue(events.stream().anyMatch(e -> e.path("category").asText().equals("STATE")
                && e.path("message").asText().startsWith("Connected to 127.0.0.1:" + port)), text);
    }

    @Test
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    void rawPrintsServerLinesExactlyAsReceived() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "127.0.0.1", port, "bob");
            try (Socket s = listener.accept()) {
                BufferedReader in = reader(s);
                assertEquals("/nick bob", in.readLine());
                send(s, "WELCOME 01 client1 0  two  spaces \r\nNAME bob\r\nID 007\r\nNEWS from a newer server\n");
                bob.out.await("NEWS from a newer server", WAIT);
                stdin.close();
                assertEquals("/quit", in.readLine());
                send(s, "BYE Goodbye\r\n");
            }
            assertEquals(0, bob.awaitExit(WAIT));
            assertEquals(List.of("WELCOME 01 client1 0  two  spaces ", "NAME bob", "ID 007", "NEWS from a newer server",
                    "BYE Goodbye"), bob.out.lines());
        }
    }

    @Test
    @SuppressWarnings("try") // stdin is closed early on purpose: that is the end of the input
    void privateLinesHelpAndNoSuchNameAreShownDistinctly() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "127.0.0.1", port, "bob");
            try (Socket s = listener.accept()) {
                BufferedReader in = reader(s);
                assertEquals("/nick bob", in.readLine());
                send(s, "WELCOME 2 client2 1 hi\r\nNAME bob\r\n");
                stdin.write("/msg zed are you there?\n/help\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                assertEquals("/msg zed are you there?", in.readLine());
                send(s, "ERROR NO_SUCH_NAME no client named zed\r\n");
                assertEquals("/help", in.readLine());
                send(s, "HELP /msg <name> <text> a private line to one client\r\nHELP /who list connected clients\r\n"
                        + "END HELP 2\r\nDM 1 alice psst, over here\r\n");
                bob.out.await(".*\\[private] <alice> psst, over here", WAIT);
                stdin.close();
                assertEquals("/quit", in.readLine());
                send(s, "BYE Goodbye\r\n");
            }
            assertEquals(0, bob.awaitExit(WAIT));
            List<String> out = bob.out.lines().stream().map(l -> l.substring(9)).toList(); // without the time
            assertTrue(out.contains("!!! not sent (NO_SUCH_NAME no client named zed): /msg zed are you there?"), out.toString());
            assertTrue(out.contains("    /msg                     <name> <text> a private line to one client"), out.toString());
            assertTrue(out.contains("    /who                     list connected clients"), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.startsWith("*** 2 commands on this server")), out.toString());
            assertTrue(out.contains("[private] <alice> psst, over here"), out.toString());
        }
    }

    @Test
    void reconnectAfterTheServerSaysItWillDisconnect() throws Exception {
        try (PipedOutputStream stdin = new PipedOutputStream()) {
            ClientRun bob = ClientRun.start(new PipedInputStream(stdin), "--raw", "--reconnect", "127.0.0.1", port, "bob");
            try (Socket first = listener.accept()) {
                assertEquals("/nick bob", reader(first).readLine());
                send(first, "WELCOME 1 client1 0 hi\r\nNAME bob\r\nBYE THE SERVER WILL DISCONNECT\r\n");
                bob.out.await("BYE THE SERVER WILL DISCONNECT", WAIT);
            }
            try (Socket second = acceptReconnect(bob)) {
                BufferedReader in = reader(second);
                assertEquals("/nick bob", in.readLine());
                send(second, "WELCOME 2 client2 0 hi again\r\nNAME bob\r\n");
                bob.out.await("WELCOME 2 .*", WAIT);
                stdin.close();
                assertEquals("/quit", in.readLine());
                send(second, "BYE Goodbye\r\n");
            }
            assertEquals(0, bob.awaitExit(WAIT));
            List<String> err = bob.err.lines();
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).matches("the server closed the connection \\(THE SERVER WILL DISCONNECT\\); "
                    + "retrying in \\d+\\.\\d s \\(retry 1\\)"), err.get(0));
        }
    }

    /** The client's second connection; fails with what it printed if it never comes (the listener's timeout). */
    private Socket acceptReconnect(ClientRun client) throws IOException {
        try {
            return listener.accept();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no reconnect; client said: " + client.err.lines() + " / " + client.out.lines(), e);
        }
    }
}
