package io.hermesnet.server.cli;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command through picocli's {@code execute}, as the launcher runs it, with its output captured. */
@Timeout(30)
class HermesServerCommandTest {

    /** The exit code and what the command printed. */
    private record Run(int code, String out, String err) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = HermesServerCommand.commandLine(new HermesServerCommand(new FakeSignals()));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static HermesServerCommand parse(String... args) {
        HermesServerCommand command = new HermesServerCommand(new FakeSignals());
        HermesServerCommand.commandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void helpListsEveryFlagAndExitsZero() {
        Run run = execute("-h");
        assertEquals(0, run.code());
        for (String flag : List.of("--host", "--port", "--max-clients", "--tick-interval", "--room-size", "--turns", "--echo",
                "--max-line", "--max-pending", "--write-timeout", "--idle-timeout", "--max-rate", "--max-per-ip",
                "--shutdown-timeout", "--http-port", "--ws-origin", "--admin-port", "--admin-host", "--quiet", "--log-level", "--help", "--version", "[PORT]")) {
            assertTrue(run.out().contains(flag), flag + " missing from:\n" + run.out());
        }
        assertEquals("", run.err());
    }

    @Test
    void versionNamesTheServerAndNettyAndExitsZero() {
        Run run = execute("-V");
        assertEquals(0, run.code());
        List<String> lines = run.out().lines().toList();
        assertEquals("hermes-server " + System.getProperty("hermes.expectedVersion"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Netty 4.2."), run.out());
        assertTrue(lines.get(2).startsWith("Java "), run.out());
    }

    @Test
    void unknownFlagIsAUsageError() {
        Run run = execute("--frobnicate");
        assertUsageError(run, "Unknown option: '--frobnicate'");
    }

    @Test
    void badDurationIsAUsageErrorNamingTheFlag() {
        assertUsageError(execute("--tick-interval", "2x"), "'--tick-interval': '2x' is not a duration");
        assertUsageError(execute("--write-timeout", "10"), "'--write-timeout': '10' is not a duration");
    }

    @Test
    void badSizeIsAUsageErrorNamingTheFlag() {
        assertUsageError(execute("--max-pending", "1MB"), "'--max-pending': '1MB' is not a size");
        assertUsageError(execute("--max-line", "big"), "'--max-line': 'big' is not a size");
    }

    @Test
    void valuesThatParseButDoNotFitAreUsageErrors() {
        assertUsageError(execute("--turns"), "--turns needs --room-size 2 or more");
        assertUsageError(execute("--room-size", "1"), "--room-size must be 0 (one global room) or at least 2");
        assertUsageError(execute("--max-clients", "0"), "--max-clients must be at least 1");
        assertUsageError(execute("--max-line", "off"), "--max-line must be from 1 byte");
        assertUsageError(execute("--io-threads", "-1"), "--io-threads must be 0 (one per core) or more");
        assertUsageError(execute("--port", "70000"), "port 70000 is out of range 0-65535");
        assertUsageError(execute("--port", "9000", "9001"), "two different ports given");
        assertUsageError(execute("--admin-port", "70000"), "--admin-port 70000 is out of range 0-65535");
        assertUsageError(execute("--admin-port", "0", "--admin-host", "no-such-host.invalid"),
                "--admin-host no-such-host.invalid is not a known host or address");
        assertUsageError(execute("--http-port", "70000"), "--http-port 70000 is out of range 0-65535");
        assertUsageError(execute("--port", "9000", "--http-port", "9000"), "--http-port 9000 is the chat port too");
        assertUsageError(execute("--ws-origin", "*"), "--ws-origin needs --http-port");
        assertUsageError(execute("--http-port", "0", "--ws-origin", "example.org"),
                "--ws-origin: an origin is * or http(s)://host[:port], without a path: example.org");
        assertUsageError(execute("--log-level", "loud"), "'loud' is not a log level");
        assertUsageError(execute("--log-format", "xml"), "'xml' is not a log format: use text or json");
        assertUsageError(execute("9000", "9001"), "Unmatched argument");
    }

    @Test
    void unknownHostIsAUsageError() {
        // .invalid never resolves (RFC 6761); the lookup may still take a moment
        assertUsageError(execute("--host", "no-such-host.invalid"), "--host no-such-host.invalid is not a known host");
    }

    @Test
    void clusterFlagsThatDoNotFitAreUsageErrors() {
        assertUsageError(execute("--port", "0", "--cluster", "http://127.0.0.1:6379"),
                "--cluster http://127.0.0.1:6379: no cluster backend for http://");
        assertUsageError(execute("--port", "0", "--cluster", "redis://127.0.0.1:6379", "--cluster-name", "a{b}"),
                "--cluster-name must be 1 to 64 letters, digits");
        assertUsageError(execute("--port", "0", "--cluster", "redis://127.0.0.1:6379", "--node-id", "node one"),
                "--node-id must be 1 to 64 letters, digits");
        assertUsageError(execute("--port", "0", "--cluster", "redis://127.0.0.1:6379", "--node-timeout", "off"),
                "--node-timeout must be at least 300ms");
    }

    @Test
    void anUnreachableClusterIsOneLineAndExitOneBeforeAnyPortIsBound() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Run run = execute("--port", "0", "--cluster", "redis://127.0.0.1:" + closed, "--node-timeout", "1s");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().startsWith("hermes-server: cannot join the cluster on redis://127.0.0.1:" + closed + ": "),
                run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertFalse(run.out().contains("listening on"), run.out());
    }

    private static void assertUsageError(Run run, String message) {
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("hermes-server: "), run.err());
        assertTrue(run.err().contains(message), "expected <" + message + "> in:\n" + run.err());
        assertTrue(run.err().contains("Usage: hermes-server"), run.err());
        assertFalse(run.err().contains("\tat "), "stack trace in:\n" + run.err());
        assertEquals("", run.out());
    }

    @Test
    void noFlagsGiveTheSpecDefaults() {
        HermesServerCommand command = parse();
        // the one setting docs/protocol.md does not name: the server batches join/leave storms, the library does not
        assertEquals(HermesConfig.DEFAULT.toBuilder().presenceDelay(Duration.ofMillis(100)).build(), command.toConfig());
        assertEquals(new InetSocketAddress("0.0.0.0", 9000), command.bindAddress());
    }

    @Test
    void everyFlagReachesTheConfig() throws IOException {
        HermesServerCommand command = parse("--host", "127.0.0.1", "--port", "9100", "--max-clients", "10",
                "--tick-interval", "500ms", "--room-size", "2", "--turns", "--echo", "--max-line", "1KiB",
                "--max-pending", "64KiB", "--write-timeout", "2s", "--idle-timeout", "1m", "--max-rate", "20",
                "--max-per-ip", "3", "--shutdown-timeout", "off", "--presence-delay", "5ms", "--io-threads", "2", "--quiet");
        HermesConfig expected = HermesConfig.builder()
                .maxClients(10).tickInterval(Duration.ofMillis(500)).roomSize(2).turns(true).echo(true)
                .maxLineBytes(1024).maxPendingBytes(64 * 1024).writeTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofMinutes(1)).maxRate(20).maxPerIp(3).shutdownTimeout(Duration.ZERO).quiet(true)
                .presenceDelay(Duration.ofMillis(5)).build();
        assertEquals(expected, command.toConfig());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9100), command.bindAddress());
    }

    @Test
    void positionalPortAsTheOriginalsTookIt() {
        assertEquals(9123, parse("9123").bindAddress().getPort());
        assertEquals(9123, parse("--port", "9123", "9123").bindAddress().getPort());
    }

    @Test
    void offPendingLimitMeansUnbounded() {
        assertEquals(Long.MAX_VALUE, parse("--max-pending", "off").toConfig().maxPendingBytes());
        assertEquals(Duration.ZERO, parse("--tick-interval", "0").toConfig().tickInterval());
        assertEquals(0, parse("--max-rate", "off", "--max-per-ip", "0").toConfig().maxRate());
    }

    @Test
    void portInUseIsOneLineNamingThePortAndExitOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Run run = execute("--host", "127.0.0.1", "--port", Integer.toString(port));
            assertEquals(HermesServerCommand.EXIT_CANNOT_LISTEN, run.code());
            assertEquals("hermes-server: cannot listen on 127.0.0.1:" + port + ": address already in use" + System.lineSeparator(),
                    run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void servesUntilAStopSignalAndSaysGoodbyeOnce() throws Exception {
        FakeSignals signals = new FakeSignals();
        CommandLine cmd = HermesServerCommand.commandLine(new HermesServerCommand(signals));
        LineSource stdout = LineSource.ofWriter("stdout", w -> cmd.setOut(new PrintWriter(w, true)));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cmd.execute("--host", "127.0.0.1", "--port", "0", "--tick-interval", "off", "--no-warm-up"));

        String listening = stdout.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", Duration.ofSeconds(10));
        int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
        try (LineClient a = welcomed(port, "WELCOME 1 client1 0 .*");
             LineClient b = welcomed(port, "WELCOME 2 client2 1 .*")) {
            a.await("CLIENTS 2");

            signals.raise(AdminSignal.USR2); // lists the clients; must not stop anything
            b.send("still here?");
            a.await("MSG 2 client2 still here\\?");

            signals.raise(AdminSignal.TERM);
            signals.raise(AdminSignal.USR1); // a second stop signal during the shutdown changes nothing
            for (LineClient c : List.of(a, b)) {
                c.awaitClosed(Duration.ofSeconds(15));
                List<String> lines = c.transcript();
                assertEquals("BYE Thank you", lines.get(lines.size() - 1), lines.toString());
                assertEquals(1, lines.stream().filter(l -> l.startsWith("BYE ")).count(), lines.toString());
            }
        }
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
        assertTrue(signals.restored.await(5, TimeUnit.SECONDS), "signal handlers not restored");
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port)); // the port was released
        }
    }

    @Test
    void httpPortServesThePageAndWebSocketClientsBesideTheLinePort() throws Exception {
        FakeSignals signals = new FakeSignals();
        CommandLine cmd = HermesServerCommand.commandLine(new HermesServerCommand(signals));
        LineSource stdout = LineSource.ofWriter("stdout", w -> cmd.setOut(new PrintWriter(w, true)));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute("--host", "127.0.0.1",
                "--port", "0", "--http-port", "0", "--tick-interval", "off", "--no-warm-up"));

        String page = stdout.awaitMatch("hermes-server chat page on http://127\\.0\\.0\\.1:\\d+/ "
                + "\\(WebSocket ws://127\\.0\\.0\\.1:\\d+/ws\\)", Duration.ofSeconds(10));
        int httpPort = Integer.parseInt(page.replaceAll(".*http://127\\.0\\.0\\.1:(\\d+)/ .*", "$1"));
        java.net.http.HttpResponse<String> index = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("HermesNet"), index.body());
        signals.raise(AdminSignal.TERM);
        assertEquals(0, exit.get(15, TimeUnit.SECONDS));
    }

    /** Signals raised by the test itself: the test JVM is never signalled. */
    static final class FakeSignals implements SignalInstaller {
        private final CompletableFuture<Consumer<AdminSignal>> handler = new CompletableFuture<>();
        final CountDownLatch restored = new CountDownLatch(1);

        @Override
        public Registration install(Consumer<AdminSignal> h) {
            handler.complete(h);
            return restored::countDown;
        }

        void raise(AdminSignal signal) throws Exception {
            handler.get(10, TimeUnit.SECONDS).accept(signal);
        }
    }

    /** A client of the server on 127.0.0.1:{@code port} that has received the line matching {@code welcome}. */
    private static LineClient welcomed(int port, String welcome) throws IOException {
        return LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(Duration.ofSeconds(10)).connect()
                .awaitReady(welcome);
    }
}
