package io.hermesnet.client.cli;

import io.hermesnet.testkit.LineSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line through picocli's {@code execute()}, as {@code main} runs it, without {@code System.exit}. */
@Timeout(30)
class HermesClientMainTest {
    private final LineSource out = LineSource.capturing("out");
    private final LineSource err = LineSource.capturing("err");

    private int execute(String... args) {
        CommandLine cmd = HermesClientMain.commandLine(new HermesClientMain(new ByteArrayInputStream(new byte[0]), false));
        cmd.setOut(out.printWriter());
        cmd.setErr(err.printWriter());
        return cmd.execute(args);
    }

    /** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void helpShowsTheUsageAndExitsZero() {
        assertEquals(0, execute("-h"));
        String usage = String.join("\n", out.lines());
        assertTrue(usage.contains("Usage: hermes-client"), usage);
        assertTrue(usage.contains("HOST PORT [USERNAME]"), usage);
        for (String option : List.of("--reconnect", "--reconnect-attempts", "--log-file", "--log-format", "--help", "--version")) {
            assertTrue(usage.contains(option), option + " missing from " + usage);
        }
        assertTrue(err.lines().isEmpty(), err.lines().toString());
    }

    @Test
    void versionNamesTheBuildAndExitsZero() {
        assertEquals(0, execute("-V"));
        String first = out.lines().get(0);
        assertEquals("hermes-client " + System.getProperty("hermes.expectedVersion"), first);
        assertTrue(out.lines().get(1).startsWith("Netty 4.2."), out.lines().toString());
    }

    @Test
    void badArgumentsPrintOneLineNamingTheProblemAndExitTwo() {
        List<List<String>> bad = List.of(
                List.of(),
                List.of("127.0.0.1"),
                List.of("127.0.0.1", "notaport"),
                List.of("127.0.0.1", "70000"),
                List.of("127.0.0.1", "0"),
                List.of("127.0.0.1", "9000", "two words"),
                List.of("127.0.0.1", "9000", "client7"),
                List.of("127.0.0.1", "9000", "bob", "extra"),
                List.of("--nope", "127.0.0.1", "9000"),
                List.of("--reconnect-attempts", "-1", "127.0.0.1", "9000"),
                List.of("--log-format", "xml", "127.0.0.1", "9000"));
        for (List<String> args : bad) {
            LineSource e = LineSource.capturing("e");
            CommandLine cmd = HermesClientMain.commandLine(new HermesClientMain(new ByteArrayInputStream(new byte[0]), false));
            cmd.setOut(out.printWriter());
            cmd.setErr(e.printWriter());
            assertEquals(2, cmd.execute(args.toArray(String[]::new)), args.toString());
            List<String> lines = e.lines();
            assertEquals(2, lines.size(), args + ": " + lines);
            assertTrue(lines.get(0).startsWith("hermes-client: "), args + ": " + lines);
            assertEquals("Try 'hermes-client --help' for more information.", lines.get(1), args.toString());
        }
        // the line names the problem
        for (String[] c : new String[][] {{"notaport", "PORT"}, {"70000", "PORT must be 1-65535: 70000"},
                {"--log-format=xml", "'xml' is not a log format: use text or json"}}) {
            LineSource e = LineSource.capturing("e");
            CommandLine cmd = HermesClientMain.commandLine(new HermesClientMain(new ByteArrayInputStream(new byte[0]), false));
            cmd.setErr(e.printWriter());
            assertEquals(2, c[0].startsWith("--") ? cmd.execute(c[0], "127.0.0.1", "9000") : cmd.execute("127.0.0.1", c[0]));
            assertTrue(e.lines().get(0).contains(c[1]), e.lines().toString());
        }
    }

    @Test
    void unwritableLogFileIsABadArgument() throws IOException {
        int port = closedPort();
        assertEquals(2, execute("--log-file", "/nonexistent-dir/sub/client.log", "127.0.0.1", Integer.toString(port), "bob"));
        assertTrue(err.lines().get(0).startsWith("hermes-client: cannot open log file /nonexistent-dir/sub/client.log"), err.lines().toString());
    }

    @Test
    void refusedConnectionPrintsOneLineAndExitsOne() throws IOException {
        int port = closedPort();
        assertEquals(1, execute("127.0.0.1", Integer.toString(port), "bob"));
        assertEquals(List.of("cannot connect to 127.0.0.1:" + port + ": connection refused"), err.lines());
        assertTrue(out.lines().isEmpty(), out.lines().toString());
    }

    @Test
    void reconnectRetriesABoundedNumberOfTimes() throws IOException {
        int port = closedPort();
        assertEquals(1, execute("--reconnect", "--reconnect-attempts", "2", "127.0.0.1", Integer.toString(port), "bob"));
        List<String> lines = err.lines();
        assertEquals(3, lines.size(), lines.toString());
        String refused = "cannot connect to 127.0.0.1:" + port + ": connection refused";
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote(refused) + "; retrying in \\d+\\.\\d s \\(retry 1 of 2\\)"),
                lines.get(0));
        assertTrue(lines.get(1).endsWith("(retry 2 of 2)"), lines.get(1));
        assertEquals(refused, lines.get(2));
    }

    @Test
    void failuresAreDescribedInAFewWords() {
        assertEquals("unknown host", io.hermesnet.client.ConnectFailures.describe(new java.net.UnknownHostException("nosuch.invalid")));
        assertEquals("timed out", io.hermesnet.client.ConnectFailures.describe(new io.netty.channel.ConnectTimeoutException("connection timed out: /10.0.0.1:9")));
        assertEquals("connection refused", io.hermesnet.client.ConnectFailures.describe(new java.net.ConnectException("Connection refused: /127.0.0.1:9")));
        assertEquals("connection reset", io.hermesnet.client.ConnectFailures.describe(new java.net.SocketException("Connection reset")));
        assertEquals("network is unreachable", io.hermesnet.client.ConnectFailures.describe(new java.net.ConnectException("Network is unreachable: /10.0.0.1:9")));
    }
}
