package io.hermesnet.tools.load;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.TestCertificates;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.websocket.WebSocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code hermes-load} command line, run through picocli's {@code execute} as the launcher does. */
@Timeout(60)
class LoadCommandTest {

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.maxClients(20).tickInterval(Duration.ZERO))
            .build();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cmd = LoadCommand.commandLine(new LoadCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void jsonSummaryOnStdoutProgressOnStderr() {
        int code = execute("--port", "" + server.port(), "--clients", "5", "--messages", "2000", "--transport", "nio",
                "--connect-rate", "0", "--json");

        assertEquals(0, code, () -> out + "\n" + err);
        String json = out.toString().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
        assertTrue(json.contains("\"clients\":5,\"publishers\":1,\"messages\":2000,"), json);
        assertTrue(json.contains("\"sent\":2000,"), json);
        assertTrue(json.contains("\"ready\":6,\"measured\":true,"), json);
        assertTrue(json.contains("\"expected\":10000,\"received\":10000,\"lost\":0,\"dups\":0,\"gaps\":0,"), json);
        assertTrue(json.contains("\"closedByServer\":0,\"closedLastLines\":{},\"result\":\"ok\",\"problem\":null,"
                + "\"exitCode\":0}"), json);
        assertTrue(err.toString().startsWith("hermes-load: 5 clients + 1 publishers to 127.0.0.1:" + server.port()
                + " (nio, 2 I/O threads)"), err::toString);
    }

    @Test
    void tlsRunsTheSameLoadOverTls(@TempDir Path dir) throws IOException {
        TestCertificates.Issued pair = TestCertificates.create(dir).issue("server");
        server.tls(ServerTls.load(pair.certFile(), pair.keyFile()), false);

        int code = execute("--port", "" + server.port(), "--tls", "--clients", "5", "--messages", "500",
                "--transport", "nio", "--connect-rate", "0", "--json");

        assertEquals(0, code, () -> out + "\n" + err);
        assertTrue(out.toString().contains("\"expected\":2500,\"received\":2500,\"lost\":0,"), out::toString);
        assertTrue(err.toString().contains("(nio, TLS, 2 I/O threads)"), err::toString);
    }

    @Test
    void wsRunsTheSameLoadOverWebSocket() {
        server.webSocket(WebSocketSettings.DEFAULT);

        int code = execute("--port", "" + server.httpAddress().getPort(), "--ws", "--clients", "5", "--messages", "500",
                "--transport", "nio", "--connect-rate", "0", "--json");

        assertEquals(0, code, () -> out + "\n" + err);
        assertTrue(out.toString().contains("\"expected\":2500,\"received\":2500,\"lost\":0,\"dups\":0,\"gaps\":0,"), out::toString);
        assertTrue(err.toString().contains("(nio, WebSocket, 2 I/O threads)"), err::toString);
    }

    @Test
    void wsSubscribersWithAPublisherOnTheLinePort() {
        server.webSocket(WebSocketSettings.DEFAULT);

        int code = execute("--port", "" + server.httpAddress().getPort(), "--ws", "--publish-port", "" + server.port(),
                "--clients", "5", "--messages", "500", "--transport", "nio", "--connect-rate", "0", "--json");

        assertEquals(0, code, () -> out + "\n" + err);
        assertTrue(out.toString().contains("\"expected\":2500,\"received\":2500,\"lost\":0,\"dups\":0,\"gaps\":0,"), out::toString);
    }

    @Test
    void setupFailureNamesTheErrorFullLineAndExits3() {
        server.configure(c -> c.maxClients(2));

        int code = execute("--port", "" + server.port(), "--clients", "4", "--messages", "10");

        assertEquals(3, code, () -> out + "\n" + err);
        assertTrue(out.toString().contains("result         setup failed: ")
                && out.toString().contains("got ERROR FULL server is full (2/2) instead of WELCOME (exit 3)"), out::toString);
        // nothing was measured, so nothing measured is shown
        assertTrue(out.toString().matches("(?s).*4 subscribers \\+ 1 publishers, [0-2] of 5 ready.*"), out::toString);
        assertFalse(out.toString().contains("latency"), out::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "auto"})
    void connectionRefusedIsOneLineAndExit1(String transport) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }

        int code = execute("--port", "" + port, "--clients", "3", "--messages", "10", "--transport", transport);

        assertEquals(1, code, () -> out + "\n" + err);
        List<String> lines = err.toString().lines().toList();
        assertEquals("hermes-load: cannot connect to 127.0.0.1:" + port + ": connection refused", lines.get(lines.size() - 1),
                err::toString);
        // before it only the line saying what it tries; no exception text, no summary of zeros
        assertEquals(2, lines.size(), err::toString);
        assertFalse(err.toString().contains("Exception") || err.toString().contains("finishConnect"), err::toString);
        assertEquals("", out.toString());
    }

    @Test
    void connectionRefusedWithJsonStillPrintsTheObject() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        int code = execute("--port", "" + port, "--clients", "1", "--messages", "10", "--json");

        assertEquals(1, code);
        assertTrue(err.toString().contains("hermes-load: cannot connect to 127.0.0.1:" + port + ": connection refused"),
                err::toString);
        assertTrue(out.toString().contains("\"result\":\"cannot-connect\",\"problem\":\"cannot connect to 127.0.0.1:"
                + port + ": connection refused\",\"exitCode\":1}"), out::toString);
    }

    @Test
    void badArgumentsExit2WithTheReason() {
        assertEquals(2, execute("--messages", "5", "--duration", "1s"));
        assertTrue(err.toString().contains("give --messages or --duration, not both"), err::toString);

        assertEquals(2, execute("--publishers", "0"));
        assertTrue(err.toString().contains("--publishers 0 needs --ticks"), err::toString);

        assertEquals(2, execute("--ticks", "--messages", "5"));
        assertEquals(2, execute("--duration", "5"));
        assertTrue(err.toString().contains("'5' is not a duration"), err::toString);
        assertEquals(2, execute("--duration", "2m", "--timeout", "1m"));
        assertEquals(2, execute("--transport", "carrier-pigeon"));
        assertEquals(2, execute("--frobnicate"));
        assertEquals("", out.toString());
    }

    @Test
    void helpAndVersionExit0() {
        assertEquals(0, execute("--help"));
        assertTrue(out.toString().contains("--window"), out::toString);
        assertTrue(out.toString().contains("Exit codes: 0 ok"), out::toString);
        out.getBuffer().setLength(0);
        assertEquals(0, execute("-V"));
        List<String> lines = out.toString().lines().toList();
        assertEquals("hermes-load " + System.getProperty("hermes.expectedVersion"), lines.get(0), out::toString);
        assertTrue(lines.get(1).startsWith("Netty 4.2."), out::toString);
    }
}
