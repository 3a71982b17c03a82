package io.hermesnet.client.cli;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.TestCertificates;
import io.hermesnet.tls.ServerTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hermes-client --tls [--ca FILE | --insecure]} against an in-process TLS server (docs/protocol.md §6.1). */
@Timeout(30)
class TlsClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private HermesServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private TestCertificates startTlsServer(List<String> hosts) throws IOException {
        TestCertificates certs = TestCertificates.create(dir);
        TestCertificates.Issued pair = certs.issue("server", TestCertificates.KeyType.RSA, hosts);
        server = HermesServer.start(new HermesHub(HermesConfig.builder().tickInterval(Duration.ZERO).build()),
                List.of(HermesServer.Listener.tls(new InetSocketAddress("127.0.0.1", 0),
                        ServerTls.load(pair.certFile(), pair.keyFile()))), Transport.nio(), 1);
        return certs;
    }

    private String port() {
        return Integer.toString(server.localAddress().getPort());
    }

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withTheCaTheClientVerifiesAndChats() throws Exception {
        TestCertificates certs = startTlsServer(TestCertificates.LOCAL_HOSTS);
        try (LineClient alice = LineClient.builder(server.localAddress()).tls(certs.clientContext()).connect()) {
            alice.awaitWelcome();
            ClientRun bob = ClientRun.start(input("hi over tls\n"), "--tls", "--ca", certs.caFile().toString(),
                    "127.0.0.1", port(), "bob");
            alice.await("MSG 2 bob hi over tls");
            assertEquals(0, bob.awaitExit(WAIT));
            assertTrue(bob.err.lines().isEmpty(), bob.err.lines().toString());
        }
    }

    @Test
    void aCertificateForAnotherHostFailsWithOneClearLine() throws Exception {
        TestCertificates certs = startTlsServer(List.of("chat.example.org"));
        ClientRun bob = ClientRun.start(input("hi\n"), "--tls", "--ca", certs.caFile().toString(), "127.0.0.1", port(), "bob");
        assertEquals(1, bob.awaitExit(WAIT));
        List<String> err = bob.err.lines();
        assertEquals(1, err.size(), err.toString());
        assertTrue(err.get(0).startsWith("cannot join 127.0.0.1:" + port() + ": TLS: "), err.toString());
    }

    @Test
    void withoutTheCaTheJdkTrustStoreRefusesATestCertificate() throws Exception {
        startTlsServer(TestCertificates.LOCAL_HOSTS);
        ClientRun bob = ClientRun.start(input("hi\n"), "--tls", "127.0.0.1", port(), "bob");
        assertEquals(1, bob.awaitExit(WAIT));
        assertTrue(bob.err.lines().get(0).contains(": TLS: "), bob.err.lines().toString());
    }

    @Test
    void insecureSkipsTheCheckWithAWarning() throws Exception {
        TestCertificates certs = startTlsServer(List.of("chat.example.org"));
        try (LineClient alice = LineClient.builder(server.localAddress()).tls(certs.clientContext(), "chat.example.org", true)
                .connect()) {
            alice.awaitWelcome();
            ClientRun bob = ClientRun.start(input("hi anyway\n"), "--tls", "--insecure", "127.0.0.1", port(), "bob");
            alice.await("MSG 2 bob hi anyway");
            assertEquals(0, bob.awaitExit(WAIT));
            assertEquals(List.of("warning: --insecure: the server's certificate and host name are not checked"),
                    bob.err.lines());
        }
    }

    @Test
    void caOrInsecureWithoutTlsAreUsageErrors() throws Exception {
        ClientRun a = ClientRun.start(input(""), "--insecure", "127.0.0.1", "9000", "bob");
        assertEquals(2, a.awaitExit(WAIT));
        assertTrue(a.err.lines().get(0).contains("--insecure needs --tls"), a.err.lines().toString());
        ClientRun b = ClientRun.start(input(""), "--tls", "--insecure", "--ca", "x.pem", "127.0.0.1", "9000", "bob");
        assertEquals(2, b.awaitExit(WAIT));
        assertTrue(b.err.lines().get(0).contains("--ca and --insecure exclude each other"), b.err.lines().toString());
    }
}
