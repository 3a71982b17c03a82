package io.hermesnet.server.cli;

import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hermes-server's start-up warm-up (docs/server.md "Warm-up") as a user sees it: a server started with the
 * defaults, in a JVM with its optimizing JIT (unlike the other process tests, which stop at C1 to start fast),
 * reports the warm-up once, before it says it listens, and nothing else of it shows: the first real client is
 * client 1, alone, and the log names no other client; a client that connects while it runs waits for it; a
 * line the server logs meanwhile (SIGUSR2's client table) is written where it belongs; a stop signal ends it
 * without a line of it.
 */
class WarmUpProcessTest {
    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration SOON = Duration.ofSeconds(15);

    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private LineSource startServer() throws Exception {
        URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
        assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                "-cp", System.getProperty("java.class.path"), HermesServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0"));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return LineSource.start("server", process.getInputStream(), "[server process] ");
    }

    /** Waits until process {@code pid} has at least {@code min} open sockets (Linux /proc), at most {@code within}. */
    private static void awaitSockets(long pid, int min, Duration within) throws Exception {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        long deadline = System.nanoTime() + within.toNanos();
        int sockets = 0;
        while (System.nanoTime() < deadline) {
            sockets = 0;
            try (Stream<Path> open = Files.list(fds)) {
                for (Path fd : (Iterable<Path>) open::iterator) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                            sockets++;
                        }
                    } catch (IOException closedMeanwhile) {
                        // a descriptor closed between the listing and the read
                    }
                }
            }
            if (sockets >= min) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        throw new AssertionError("the server process never had " + min + " sockets open (last: " + sockets + ")");
    }

    private static int indexOf(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aClientThatConnectsDuringTheWarmUpIsTakenAfterIt() throws Exception {
        LineSource output = startServer();
        // logged when the port is bound, before the warm-up
        String bound = output.awaitMatch(".* \\[STATE] Listening on 127\\.0\\.0\\.1:\\d+ .*", START);
        int port = Integer.parseInt(bound.replaceAll(".*Listening on 127\\.0\\.0\\.1:(\\d+) .*", "$1"));
        try (LineClient early = LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(START)
                .connect().awaitReady("WELCOME 1 client1 0 .*")) {
            // the log is asynchronous: its lines may reach the output after the WELCOME reached the client, but
            // in the order they were logged, so the warm-up's end comes before the client's connect
            output.awaitAnywhere(".* \\[STATE] Client 1 connected from .*", SOON);
            List<String> log = output.lines();
            int done = indexOf(log, ".* \\[STATE] Warm-up done: .*");
            int connected = indexOf(log, ".* \\[STATE] Client 1 connected from .*");
            assertTrue(done >= 0 && done < connected, "welcomed before the warm-up ended: " + log);
            early.await("CLIENTS 1");
            early.send("/who");
            early.await("WHO 1 client1 0 - 127\\.0\\.0\\.1:\\d+");
            early.await("END WHO 1");
        }
        output.awaitAnywhere(".* \\[STATE] Client 1 \\(client1\\) disconnected: .*", SOON);
    }

    @Test
    void aLineLoggedWhileTheWarmUpRunsIsWrittenInItsPlace() throws Exception {
        LineSource output = startServer();
        output.awaitMatch(".* \\[STATE] Listening on 127\\.0\\.0\\.1:\\d+ .*", START);
        // the warm-up runs for seconds from here, its own lines written to /dev/null meanwhile
        Process kill = new ProcessBuilder("kill", "-USR2", Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill did not finish");
        output.awaitMatch(".* \\[INFO] \\[server] \\[STATE] 0 clients connected", SOON);
        output.awaitAnywhere(".* \\[STATE] Warm-up done: .*", START);
        List<String> log = output.lines();
        int table = indexOf(log, ".* \\[STATE] 0 clients connected");
        assertTrue(indexOf(log, ".* \\[STATE] Listening on .*") < table
                        && table < indexOf(log, ".* \\[STATE] Warm-up done: .*"),
                "the client table, asked for during the warm-up, in its place: " + log);
    }

    @Test
    void aStopSignalDuringTheWarmUpEndsItWithoutShowingIt() throws Exception {
        LineSource output = startServer();
        output.awaitMatch(".* \\[STATE] Listening on 127\\.0\\.0\\.1:\\d+ .*", START);
        // the warm-up's own clients are connected (both ends are in the server's process): its server then has
        // clients to say goodbye to and lines to drop when the signal closes it
        awaitSockets(process.pid(), 2 * 11, START);
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill did not finish");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
        assertEquals(0, process.exitValue());
        List<String> lines = output.awaitEnd(SOON);
        output.awaitAnywhere(".* \\[STATE] HermesNet server stopped", SOON);
        for (String line : lines) {
            // the warm-up's own server, closed on the signal, had said goodbye to its clients in the log
            assertFalse(line.matches(".*sent BYE Thank you to [1-9]\\d* clients.*"), "the warm-up's clients: " + line);
            assertFalse(line.matches(".*dropped \\d+ log lines.*"), "the warm-up's dropped lines: " + line);
        }
    }

    @Test
    void theWarmUpIsInvisibleExceptForItsOneLogLine() throws Exception {
        LineSource output = startServer();
        String listening = output.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", START);
        int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));

        try (LineClient alice = LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(SOON)
                .connect().awaitReady("WELCOME 1 client1 0 .*")) {
            alice.await("CLIENTS 1");
            output.awaitAnywhere(".* \\[INFO] \\[server] \\[STATE] Warm-up done: \\d+ chat lines to 10 clients in \\d+ rounds, \\d+ ms", SOON);
            // "listening on" is printed directly, the log is asynchronous: of the two only the log's own order
            // is kept, and in it the warm-up ends before the first client is served
            output.awaitAnywhere(".* \\[STATE] Client 1 connected from .*", SOON);
            List<String> log = output.lines();
            int done = indexOf(log, ".* \\[STATE] Warm-up done: .*");
            assertTrue(done >= 0 && done < indexOf(log, ".* \\[STATE] Client 1 connected from .*"),
                    "the warm-up ends before the server serves: " + log);
            alice.send("/who");
            alice.await("WHO 1 client1 0 - 127\\.0\\.0\\.1:\\d+");
            alice.await("END WHO 1");
            alice.send("hello");
            output.awaitAnywhere(".* \\[RX] \\[Client 1] hello", SOON);
        }
        output.awaitAnywhere(".* \\[STATE] Client 1 \\(client1\\) disconnected: .*", SOON);
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill did not finish");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
        assertEquals(0, process.exitValue());

        List<String> lines = output.awaitEnd(SOON);
        assertEquals(1, lines.stream().filter(l -> l.contains("Warm-up")).count(), String.join("\n", lines));
        for (String line : lines) {
            assertFalse(line.matches(".*\\[(RX|BROADCAST|TX)].*") && !line.contains("[Client 1]")
                            && !line.contains("Broadcasting to 0 clients"),
                    "a log line of the warm-up's own clients: " + line);
            assertFalse(line.matches(".*Client (?!1\\D)\\d+.*"), "a client other than the test's: " + line);
            assertFalse(line.contains("Listening on 127.0.0.1:") && !line.contains(":" + port + " "),
                    "the warm-up's own listener: " + line);
        }
    }
}
