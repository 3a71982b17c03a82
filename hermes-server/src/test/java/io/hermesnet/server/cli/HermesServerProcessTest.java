package io.hermesnet.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hermes-server} as a real process (docs/protocol.md §3.9, §3.10, §4): a child JVM running
 * {@link HermesServerMain} on this test's class path with the application's own {@code log4j2.xml},
 * real POSIX signals sent with {@code kill}, plain-socket clients on 127.0.0.1.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(90)
class HermesServerProcessTest {
    /** docs/protocol.md §3.10: {@code yyyy-MM-dd HH:mm:ss.SSS [LEVEL] [server] [CATEGORY] message}. */
    private static final Pattern LOG_LINE =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)] \\[server] \\[[A-Z]*] .*");
    private static final String STATE = "\\S+ \\S+ \\[INFO] \\[server] \\[STATE] ";
    /** A JVM start on a loaded 2-core machine can take seconds. */
    private static final Duration START = Duration.ofSeconds(40);
    private static final Pattern STUCK = Pattern.compile(".* \\[STATE] Shutdown: closed (\\d+) stuck clients");
    private static final Duration SOON = Duration.ofSeconds(15);

    private Process process;
    private LineSource output;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts the server process and returns the port from its {@code listening on} line. */
    private int startServer(String... flags) throws IOException, URISyntaxException {
        return startServer(List.of(), flags);
    }

    /** {@link #startServer(String...)} with extra JVM options (system properties) before the class name. */
    private int startServer(List<String> jvmOptions, String... flags) throws IOException, URISyntaxException {
        URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
        assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
        List<String> command = new ArrayList<>(List.of(
                java(),
                "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                "-Dio.netty.leakDetection.level=paranoid",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                HermesServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0"));
        command.addAll(List.of(flags));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        output = LineSource.start("server", process.getInputStream(), "[server process] ");
        String listening = output.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", START);
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }

    private void kill(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill did not finish");
        assertEquals(0, kill.exitValue(), "kill -" + signal + " failed: " + said);
    }

    private List<String> awaitExit(int expected) throws InterruptedException {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
        assertEquals(expected, process.exitValue());
        return output.awaitEnd(SOON);
    }

    private static void assertLogFormat(List<String> lines) {
        for (String line : lines) {
            if (!line.startsWith("hermes-server listening on ")) {
                assertTrue(LOG_LINE.matcher(line).matches(), "not a docs/protocol.md §3.10 log line: " + line);
            }
        }
    }

    @Test
    void usr2ListsTheClientsAndUsr1DisconnectsEveryoneWithTheMessage() throws Exception {
        int port = startServer("--tick-interval", "100ms", "--log-level", "debug");
        // One after the other: the server may accept two simultaneous connections in either order.
        try (LineClient alice = welcomed(port, "WELCOME 1 client1 0 .*");
             LineClient two = welcomed(port, "WELCOME 2 client2 1 .*")) {
            alice.send("/nick alice");
            alice.await("NAME alice");
            two.await("RENAME 1 client1 alice");
            two.send("hello alice");
            alice.await("MSG 2 client2 hello alice");
            // Without --quiet: each received line (RX), each fan-out (BROADCAST), and at debug each sent line (TX).
            output.awaitAnywhere(".* \\[INFO] \\[server] \\[RX] \\[Client 2] hello alice", SOON);
            output.awaitAnywhere(".* \\[INFO] \\[server] \\[BROADCAST] Broadcasting to 1 clients", SOON);
            output.awaitAnywhere(".* \\[DEBUG] \\[server] \\[TX] \\[Client 1] MSG 2 client2 hello alice", SOON);

            kill("USR2");
            output.awaitMatch(STATE + "2 clients connected", SOON);
            output.awaitMatch(STATE + "ID +NAME +RANK +ROOM +ADDRESS +CONNECTED SINCE", SOON);
            String when = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";
            output.awaitMatch(STATE + "1 +alice +0 +- +127\\.0\\.0\\.1:" + alice.localPort() + " +" + when, SOON);
            output.awaitMatch(STATE + "2 +client2 +1 +- +127\\.0\\.0\\.1:" + two.localPort() + " +" + when, SOON);

            // USR2 does not stop the server: it still answers.
            alice.send("/rank");
            alice.await("RANK 0");

            kill("USR1");
            for (LineClient c : List.of(alice, two)) {
                c.awaitClosed(Duration.ofSeconds(15));
                List<String> lines = c.transcript();
                assertEquals("BYE THE SERVER WILL DISCONNECT", lines.get(lines.size() - 1), lines.toString());
                assertEquals(1, lines.stream().filter(l -> l.startsWith("BYE ")).count(), "one BYE only: " + lines);
            }
        }
        List<String> log = awaitExit(0);
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "HermesNet server started on port " + port + " \\(host 127\\.0\\.0\\.1\\)")),
                "no start line");
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "Stopping HermesNet server on SIGUSR1: BYE THE SERVER WILL DISCONNECT")),
                "no shutdown line");
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "Client 1 connected from 127\\.0\\.0\\.1:\\d+ .*")), "no connect line");
        assertLogFormat(log);
    }

    @Test
    void sigtermSaysThankYouExitsZeroAndReleasesThePortAndQuietDropsWireLines() throws Exception {
        int port = startServer("--quiet");
        try (LineClient a = welcomed(port, "WELCOME 1 .*");
             LineClient b = welcomed(port, "WELCOME 2 .*")) {
            a.send("hi b");
            b.await("MSG 1 client1 hi b");
            b.send("hi a");
            a.await("MSG 2 client2 hi a");

            kill("TERM"); // not Process.destroy(): that also closes our end of the server's output
            for (LineClient c : List.of(a, b)) {
                c.awaitClosed(Duration.ofSeconds(15));
                List<String> lines = c.transcript();
                assertEquals("BYE Thank you", lines.get(lines.size() - 1), lines.toString());
            }
        }
        List<String> log = awaitExit(0);
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "Stopping HermesNet server on SIGTERM: BYE Thank you")), "no shutdown line");
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "HermesNet server stopped")), "no final line");
        for (String line : log) {
            assertFalse(line.matches(".*\\[(RX|TX|BROADCAST)] .*"), "--quiet let through: " + line);
        }
        assertLogFormat(log);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    /**
     * docs/server.md "Logging": with the smallest ring log4j allows (128 slots), a flood of chat lines
     * fills the log queue; RX and BROADCAST lines are then dropped and counted in {@code dropped N log
     * lines}, while every STATE line (a connect during the flood, the shutdown) is still written.
     */
    @Test
    void aFullLogQueueDropsAndCountsWireLinesButKeepsEveryStateLine() throws Exception {
        int port = startServer(List.of("-Dlog4j2.asyncLoggerRingBufferSize=128"), "--tick-interval", "0");
        int flood = 5000;
        try (LineClient a = welcomed(port, "WELCOME 1 .*");
             LineClient b = welcomed(port, "WELCOME 2 .*")) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < flood; i++) {
                lines.append("flood ").append(i).append('\n');
            }
            a.send(lines.substring(0, lines.length() - 1));
            try (LineClient c = welcomed(port, "WELCOME 3 .*")) {
                b.await("MSG 1 client1 flood " + (flood - 1));
                output.awaitAnywhere(STATE + "dropped \\d+ log lines", SOON);
            }
            kill("TERM");
            a.awaitClosed();
            b.awaitClosed();
        }
        List<String> log = awaitExit(0);
        long dropped = log.stream().filter(l -> l.matches(STATE + "dropped \\d+ log lines"))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".* dropped (\\d+) log lines", "$1"))).sum();
        long rx = log.stream().filter(l -> l.matches(".* \\[RX] \\[Client 1] flood \\d+")).count();
        long broadcast = log.stream().filter(l -> l.matches(".* \\[BROADCAST] Broadcasting to [12] clients")).count();
        assertTrue(dropped > 0, "nothing dropped");
        assertEquals(2L * flood, rx + broadcast + dropped, "each chat line is one RX and one BROADCAST line, logged or counted");
        for (int id = 1; id <= 3; id++) {
            int client = id;
            assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "Client " + client + " connected from .*")), "no connect line of " + id);
        }
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "Client 3 \\(client3\\) disconnected: .*")), "no disconnect line");
        assertTrue(log.stream().anyMatch(l -> l.matches(STATE + "HermesNet server stopped")), "no final line");
        assertLogFormat(log);
    }

    /**
     * docs/protocol.md §3.10: whatever a client sends is logged with every control character escaped, so no raw CR,
     * LF, ESC, NUL, DEL or C1 control reaches the log (a CR would start a forged line, an ESC would drive the
     * operator's terminal), and lookups and format strings are written as sent, never evaluated.
     */
    @Test
    void hostileClientTextIsLoggedEscapedAndNoLookupIsEvaluated() throws Exception {
        int port = startServer("--tick-interval", "0", "--log-level", "debug");
        String lookups = "${jndi:ldap://127.0.0.1:1/a} ${env:HOME} ${sys:user.home} %s %n {} %d";
        try (LineClient a = welcomed(port, "WELCOME 1 .*");
             LineClient b = welcomed(port, "WELCOME 2 .*")) {
            a.sendRaw("hi\rFORGED [STATE] Client 1 disconnected\n\u001b[2J\n".getBytes(StandardCharsets.UTF_8));
            a.sendRaw(("nul\u0000 del\u007f c1\u0085\u009b sep\u2028 back\\slash " + lookups + "\n").getBytes(StandardCharsets.UTF_8));
            a.sendRaw(new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF, '\n'});
            a.send("last");
            b.await("MSG 1 client1 last");
            output.awaitAnywhere(".* \\[RX] \\[Client 1] last", SOON);
            kill("TERM");
            a.awaitClosed();
            b.awaitClosed();
        }
        List<String> log = awaitExit(0);
        // a raw CR or LF would have started a line of its own, which is no log line
        assertLogFormat(log);
        for (String line : log) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                assertFalse(c < 0x20 || c >= 0x7F && c <= 0x9F, "raw U+" + Integer.toHexString(c) + " in the log line: " + line);
            }
        }
        String rx = ".* \\[INFO] \\[server] \\[RX] \\[Client 1] ";
        String tx = ".* \\[DEBUG] \\[server] \\[TX] \\[Client 2] MSG 1 client1 ";
        assertTrue(log.stream().anyMatch(l -> l.matches(rx + Pattern.quote("hi\\rFORGED [STATE] Client 1 disconnected"))), "no escaped CR");
        assertTrue(log.stream().anyMatch(l -> l.matches(rx + Pattern.quote("\\x1b[2J"))), "no escaped ESC");
        assertTrue(log.stream().anyMatch(l -> l.matches(rx + Pattern.quote(
                "nul\\x00 del\\x7f c1\\x85\\x9b sep\\u2028 back\\\\slash " + lookups))), "no escaped controls or literal lookups");
        assertTrue(log.stream().anyMatch(l -> l.matches(tx + ".*" + Pattern.quote(lookups))), "no TX line of the relayed text");
        String home = System.getenv("HOME");
        if (home != null && home.length() > 1) {
            assertTrue(log.stream().noneMatch(l -> l.contains(home)), "a lookup was evaluated");
        }
    }

    /**
     * docs/protocol.md §3.10 {@code --log-format json}: standard output holds one JSON object per line and nothing
     * else (the listening line goes to standard error), each with time, level, app and message; a line about a
     * client carries its id, name and address; a hostile chat line is still one object, its text escaped.
     */
    @Test
    void jsonLogsAreOneObjectPerLineWithTheClientsFields() throws Exception {
        URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
        assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
        process = new ProcessBuilder(java(), "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                "-Dio.netty.leakDetection.level=paranoid", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HermesServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0", "--tick-interval", "0", "--log-format", "json").start();
        output = LineSource.start("server", process.getInputStream(), "[server process] ");
        LineSource err = LineSource.start("server-err", process.getErrorStream(), "[server process stderr] ");
        String listening = err.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", START);
        int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
        int alicePort;
        try (LineClient alice = welcomed(port, "WELCOME 1 .*");
             LineClient bob = welcomed(port, "WELCOME 2 .*")) {
            alicePort = alice.localPort();
            alice.send("/nick alice");
            alice.await("NAME alice");
            alice.sendRaw("hi\rFORGED\u001b[2J\u0085 ${jndi:ldap://127.0.0.1:1/a}\n".getBytes(StandardCharsets.UTF_8));
            bob.await("MSG 1 alice hiFORGED\\[2J \\$\\{jndi:ldap://127\\.0\\.0\\.1:1/a}");
            output.awaitAnywhere(".*\"category\":\"RX\".*FORGED.*", SOON);
            kill("TERM");
            alice.awaitClosed();
            bob.awaitClosed();
        }
        List<String> log = awaitExit(0);
        assertFalse(log.isEmpty());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : log) {
            JsonNode event = json.readTree(line); // throws on anything that is not JSON
            assertTrue(event.isObject(), line);
            for (String field : List.of("time", "level", "app", "message")) {
                assertTrue(event.hasNonNull(field), "no " + field + " in " + line);
            }
            assertEquals("server", event.get("app").asText(), line);
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                assertFalse(c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028', "raw U+" + Integer.toHexString(c) + " in " + line);
            }
            events.add(event);
        }
        JsonNode connect = events.stream()
                .filter(e -> e.path("message").asText().startsWith("Client 1 connected from ")).findFirst()
                .orElseThrow(() -> new AssertionError("no connect event in " + log));
        assertEquals("STATE", connect.path("category").asText());
        assertEquals("INFO", connect.path("level").asText());
        assertEquals(1, connect.path("client").path("id").asLong(), connect.toString());
        assertEquals("127.0.0.1:" + alicePort, connect.path("client").path("address").asText(), connect.toString());
        assertEquals("client1", connect.path("client").path("name").asText(), connect.toString());
        JsonNode leave = events.stream()
                .filter(e -> e.path("message").asText().startsWith("Client 1 (alice) disconnected: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no disconnect event in " + log));
        assertEquals("alice", leave.path("client").path("name").asText(), leave.toString());
        assertTrue(events.stream().anyMatch(e -> e.path("message").asText()
                        .equals("[Client 1] hi\\rFORGED\\x1b[2J\\x85 ${jndi:ldap://127.0.0.1:1/a}")),
                "no escaped RX event in " + log);
        assertTrue(events.stream().filter(e -> e.path("message").asText().startsWith("HermesNet server started"))
                .allMatch(e -> e.path("client").isMissingNode()), "a line about no client has no client object");
        List<String> errLines = err.awaitEnd(SOON);
        assertEquals(List.of("hermes-server listening on 127.0.0.1:" + port), errLines);
    }

    /**
     * docs/protocol.md §3.9: SIGTERM while clients flood chat as fast as they can, and the server still
     * exits within {@code --shutdown-timeout} plus 1 s, every quiet client's last line {@code BYE Thank you}.
     * Every client gets every flood line, as in one chat room.
     */
    @Test
    void sigtermWhileClientsFloodExitsWithinTheShutdownTimeoutPlusOneSecond() throws Exception {
        int quietCount = 100;
        int floodCount = 30;
        // 64 KiB pending at most: a BYE waits behind at most that much of the flood in a client's socket
        int port = startServer("--tick-interval", "0", "--max-clients", "300",
                "--shutdown-timeout", "2s", "--max-pending", "64KiB");
        List<LineClient> quiet = new ArrayList<>();
        List<LineClient> flooders = new ArrayList<>();
        try {
            // one after the other, so that each pair of flooders shares a room
            for (int i = 0; i < quietCount; i++) {
                quiet.add(chatIgnoring(port));
            }
            for (int i = 0; i < floodCount; i++) {
                flooders.add(chatIgnoring(port));
            }
            byte[] chunk = "flood flood flood flood flood flood flood flood flood\n".repeat(300)
                    .getBytes(StandardCharsets.US_ASCII);
            for (LineClient f : flooders) { // at most 20,000 x 16 KiB each; ends when the server closes
                f.flood(chunk, 20_000, Duration.ofSeconds(60));
            }
            // the flood is on once every flooder has received 128 KiB of the others' chat (or was cut with
            // sendq for falling behind, on a loaded machine; a megabyte each outlasted the wait there)
            for (LineClient f : flooders) {
                f.awaitReceivedBytes(128 << 10, Duration.ofSeconds(60));
            }
            // a quiet client that fell behind the flood has been cut (sendq, docs/protocol.md §3.11) and
            // gets no BYE; the shutdown owes BYE to the others
            List<LineClient> connected = quiet.stream().filter(q -> !q.isClosedByServer()).toList();
            assertTrue(connected.size() >= quietCount / 2, "only " + connected.size() + " quiet clients kept up");
            long signalled = System.nanoTime();
            kill("TERM");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            System.out.println("exit after SIGTERM under a flood: " + exitMillis + " ms");
            assertTrue(exitMillis <= 3000, "exit took " + exitMillis + " ms, more than --shutdown-timeout 2s + 1 s");
            assertEquals(0, process.exitValue());
            // a client whose socket still held the flood when the timeout struck was stuck: it is closed
            // without its BYE (docs/protocol.md §3.9, "a stuck client delays no one"), and the server says
            // how many; on a loaded machine a few quiet readers are that slow, every other one gets BYE
            List<String> log = output.awaitEnd(SOON);
            int stuck = log.stream().map(STUCK::matcher).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
            List<String> withoutBye = new ArrayList<>();
            for (LineClient q : connected) {
                q.awaitClosed(Duration.ofSeconds(10));
                if (!"BYE Thank you".equals(q.lastLine())) {
                    withoutBye.add(q.lastLine());
                }
            }
            assertTrue(withoutBye.size() <= stuck, withoutBye.size() + " quiet clients ended without BYE Thank you"
                    + " but the server closed " + stuck + " stuck clients; their last lines: " + withoutBye);
        } finally {
            quiet.forEach(LineClient::close);
            flooders.forEach(LineClient::close);
        }
    }

    @Test
    void portInUseIsOneLineNamingThePortAndNothingBeforeIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
            assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
            // the application's logging, so that a start line logged too early would show here
            process = new ProcessBuilder(java(), "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    HermesServerMain.class.getName(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                    .redirectErrorStream(true).start();
            output = LineSource.start("server", process.getInputStream(), "[server process] ");
            List<String> lines = awaitExit(HermesServerCommand.EXIT_CANNOT_LISTEN);
            assertEquals(List.of("hermes-server: cannot listen on 127.0.0.1:" + port + ": address already in use"), lines);
        }
    }

    @Test
    void badArgumentsExitTwoWithoutAStackTrace() throws Exception {
        process = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                HermesServerMain.class.getName(), "--tick-interval", "soon")
                .redirectErrorStream(true).start();
        output = LineSource.start("server", process.getInputStream(), "[server process] ");
        List<String> lines = awaitExit(2);
        assertTrue(lines.get(0).startsWith("hermes-server: Invalid value for option '--tick-interval': 'soon'"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("Exception")), lines.toString());
    }

    /**
     * A client of the server on 127.0.0.1:{@code port} that has read its {@code WELCOME} and keeps no
     * chat ({@code MSG}) lines: a flood would otherwise pile up in its queue. {@link LineClient#lastLine()}
     * still sees every line.
     */
    private static LineClient chatIgnoring(int port) throws IOException {
        return LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(Duration.ofSeconds(20))
                .keepLines(l -> !l.startsWith("MSG ")).join();
    }

    /** A client of the server on 127.0.0.1:{@code port} that has received the line matching {@code welcome}. */
    private static LineClient welcomed(int port, String welcome) throws IOException {
        return LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(Duration.ofSeconds(10)).connect()
                .awaitReady(welcome);
    }
}
