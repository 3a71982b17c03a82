package io.hermesnet.server.cli;

import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import io.hermesnet.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --tls-cert}, {@code --tls-key}, {@code --tls-port} and SIGHUP through picocli's {@code execute} (docs/protocol.md §6.1). */
@Timeout(30)
class HermesServerTlsCommandTest {
    @TempDir
    Path dir;

    private static int exitOf(StringWriter err, String... args) {
        CommandLine cmd = HermesServerCommand.commandLine(new HermesServerCommand(new HermesServerCommandTest.FakeSignals()));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static void assertUsageError(String message, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(2, exitOf(err, args), err.toString());
        assertTrue(err.toString().contains(message), err.toString());
    }

    @Test
    void tlsFlagsThatDoNotFitAreUsageErrors() throws Exception {
        TestCertificates.Issued pair = TestCertificates.create(dir).issue("server");
        String cert = pair.certFile().toString();
        String key = pair.keyFile().toString();
        assertUsageError("--tls-cert and --tls-key go together", "--tls-cert", cert);
        assertUsageError("--tls-port needs --tls-cert and --tls-key", "--tls-port", "9443");
        assertUsageError("--tls-port 9000 is the plain-text port too", "--tls-cert", cert, "--tls-key", key, "--tls-port", "9000");
        assertUsageError("no PKCS#8 key", "--port", "0", "--tls-cert", cert, "--tls-key", cert);
        Path missing = dir.resolve("missing.key");
        assertUsageError("missing.key", "--port", "0", "--tls-cert", cert, "--tls-key", missing.toString());
        Files.writeString(dir.resolve("empty.crt"), "");
        assertUsageError("no certificate", "--port", "0", "--tls-cert", dir.resolve("empty.crt").toString(), "--tls-key", key);
    }

    @Test
    void tlsPortBesidePlainAndSighupReloadsWithoutDroppingAnyone() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued first = certs.issue("server");
        HermesServerCommandTest.FakeSignals signals = new HermesServerCommandTest.FakeSignals();
        CommandLine cmd = HermesServerCommand.commandLine(new HermesServerCommand(signals));
        LineSource stdout = LineSource.ofWriter("stdout", w -> cmd.setOut(new PrintWriter(w, true)));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cmd.execute("--host", "127.0.0.1",
                "--port", "0", "--tls-port", "0", "--tls-cert", first.certFile().toString(),
                "--tls-key", first.keyFile().toString(), "--tick-interval", "off",
                "--no-warm-up")); // this JVM runs other tests: no warm-up burning its cores
        int plainPort = portOf(stdout.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", Duration.ofSeconds(10)));
        int tlsPort = portOf(stdout.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+ \\(TLS\\)", Duration.ofSeconds(10))
                .replace(" (TLS)", ""));
        InetSocketAddress tlsAddress = new InetSocketAddress("127.0.0.1", tlsPort);
        try (LineClient plain = LineClient.connect(new InetSocketAddress("127.0.0.1", plainPort));
             LineClient tls = LineClient.builder(tlsAddress).tls(certs.clientContext()).connect()) {
            assertEquals(1, plain.awaitWelcome().id());
            assertEquals(2, tls.awaitWelcome().id());
            assertEquals(first.certificate().getSerialNumber(), serialOf(tls));

            TestCertificates.Issued second = certs.issue("server");
            signals.raise(AdminSignal.HUP);
            // the reload runs on its own thread: new handshakes see the new serial once it is done
            BigInteger seen = null;
            for (int i = 0; i < 100 && !second.certificate().getSerialNumber().equals(seen); i++) {
                try (LineClient probe = LineClient.builder(tlsAddress).tls(certs.clientContext()).connect()) {
                    seen = serialOf(probe);
                }
            }
            assertEquals(second.certificate().getSerialNumber(), seen);
            tls.send("after the reload");
            plain.await("MSG 2 client2 after the reload");
            plain.send("both still here");
            tls.await("MSG 1 client1 both still here");

            signals.raise(AdminSignal.TERM);
            plain.await("BYE Thank you");
            tls.await("BYE Thank you");
        }
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    }

    private static int portOf(String line) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    private static BigInteger serialOf(LineClient c) throws Exception {
        return ((X509Certificate) c.tlsSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
