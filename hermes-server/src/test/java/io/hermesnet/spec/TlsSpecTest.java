package io.hermesnet.spec;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.TestCertificates;
import io.hermesnet.tls.ServerTls;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslProvider;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §6.1 TLS over real sockets with real handshakes: certificates made at test time by
 * {@link TestCertificates}, the server's {@link ServerTls} on a TLS-only port or beside the plain one.
 */
@Timeout(20)
class TlsSpecTest {
    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).presenceDelay(Duration.ZERO))
            .build();

    @TempDir
    Path dir;

    private TestCertificates certs;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        certs = TestCertificates.create(dir);
        log = new LogCapture(Level.INFO);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private ServerTls serverTls(TestCertificates.Issued pair, SslProvider provider, Duration handshakeTimeout) {
        try {
            return ServerTls.load(pair.certFile(), pair.keyFile(), provider, handshakeTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServerTls serverTls(TestCertificates.Issued pair) {
        return serverTls(pair, ServerTls.bestProvider(), ServerTls.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private LineClient tlsClient() {
        return server.client(server.tlsAddress(), b -> b.tls(certs.clientContext()));
    }

    private static BigInteger serialSeenBy(LineClient c) throws IOException {
        return ((X509Certificate) c.tlsSession().getPeerCertificates()[0]).getSerialNumber();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void verifiedClientsChatOnATlsOnlyPortWithEitherProvider(SslProvider provider) {
        assertTrue(OpenSsl.isAvailable(), "netty-tcnative must load here, or OpenSSL goes untested: "
                + OpenSsl.unavailabilityCause());
        ServerTls tls = serverTls(certs.issue("server"), provider, ServerTls.DEFAULT_HANDSHAKE_TIMEOUT);
        assertEquals(provider == SslProvider.OPENSSL, tls.context() instanceof OpenSslContext);
        server.tls(tls, false);
        LineClient a = tlsClient();
        assertEquals(1, a.awaitWelcome().id());
        LineClient b = tlsClient();
        assertEquals(2, b.awaitWelcome().id());
        assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(a.tlsSession().getProtocol()), a.tlsSession().getProtocol());
        a.send("over tls");
        b.await("MSG 1 client1 over tls");
        b.send("/who");
        b.await("WHO 1 client1 .*");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedAndTakesNoClientId() {
        server.tls(serverTls(certs.issue("elsewhere", TestCertificates.KeyType.EC, List.of("chat.example.org"))), false);
        UncheckedIOException refused = assertThrows(UncheckedIOException.class, this::tlsClient);
        assertInstanceOf(SSLHandshakeException.class, refused.getCause());
        // the same certificate without the host check: the chain is fine, and the refused client took no id
        LineClient c = server.client(server.tlsAddress(), b -> b.tls(certs.clientContext(), "127.0.0.1", false));
        assertEquals(1, c.awaitWelcome().id());
        assertTrue(log.messages("STATE").stream().noneMatch(m -> m.contains("Client 2")), log.messages("STATE").toString());
    }

    @Test
    void aCertificateFromAnUnknownAuthorityIsRefused() {
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        server.tls(serverTls(other.issue("server")), false);
        UncheckedIOException refused = assertThrows(UncheckedIOException.class, this::tlsClient);
        assertInstanceOf(SSLHandshakeException.class, refused.getCause());
    }

    @Test
    void tlsAndPlainClientsChatWithEachOtherOnTwoListeners() {
        server.tls(serverTls(certs.issue("server")), true);
        assertNotEquals(server.address(), server.tlsAddress());
        LineClient plain = server.join();
        LineClient tls = tlsClient();
        assertEquals(2, tls.awaitWelcome().id());
        plain.await("JOIN 2 client2");
        plain.await("CLIENTS 2");
        plain.send("hello tls");
        tls.await("MSG 1 client1 hello tls");
        tls.send("hello plain");
        plain.await("MSG 2 client2 hello plain");
        tls.send("/quit");
        tls.await("BYE .*");
        plain.await("LEAVE 2 client2 .*");
        assertEquals(List.of("Listening on " + addr(server.address()) + " (nio, max 6 clients)",
                        "Listening on " + addr(server.tlsAddress()) + " (nio, TLS, max 6 clients)"),
                log.messages("STATE").stream().filter(m -> m.startsWith("Listening")).toList());
    }

    @Test
    void aReloadServesTheNewPairToNewHandshakesAndKeepsEstablishedOnes() throws IOException {
        TestCertificates.Issued first = certs.issue("server");
        ServerTls tls = serverTls(first);
        server.tls(tls, false);
        LineClient before = tlsClient();
        before.awaitWelcome();
        assertEquals(first.certificate().getSerialNumber(), serialSeenBy(before));

        TestCertificates.Issued second = certs.issue("server"); // the same files, rewritten with a new serial
        assertTrue(tls.reload());
        LineClient after = tlsClient();
        after.awaitWelcome();
        assertEquals(second.certificate().getSerialNumber(), serialSeenBy(after));
        before.send("still here");
        after.await("MSG 1 client1 still here");

        Files.writeString(second.keyFile(), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        assertFalse(tls.reload());
        assertTrue(log.messages("STATE").stream().anyMatch(m -> m.startsWith("TLS reload failed, keeping certificate")),
                log.messages("STATE").toString());
        certs.issue("unrelated"); // a key of another certificate is refused too
        Files.copy(dir.resolve("unrelated.key"), second.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertFalse(tls.reload());
        LineClient last = tlsClient();
        last.awaitWelcome();
        assertEquals(second.certificate().getSerialNumber(), serialSeenBy(last));
        before.send("and still");
        last.await("MSG 1 client1 and still");
    }

    @Test
    void aHandshakeThatNeverStartsIsClosedAfterTheTimeout() throws IOException {
        server.tls(serverTls(certs.issue("server"), ServerTls.bestProvider(), Duration.ofMillis(200)), false);
        // plain text, so the client never starts the handshake
        try (LineClient silent = server.client(server.tlsAddress(), b -> { })) {
            assertEquals(List.of(), silent.awaitClosed(), "the server closes the connection");
            assertEquals(0, silent.receivedBytes(), "and sends nothing");
            assertLogged(silent.localAddress() + ": TLS handshake failed, closing: handshake timed out after 200ms");
        }
        assertEquals(1, tlsClient().awaitWelcome().id(), "the silent connection took no client id");
    }

    @Test
    void plainTextToTheTlsPortIsClosedWithALoggedReason() throws IOException {
        server.tls(serverTls(certs.issue("server")), false);
        // lenient: a TLS alert the server may send is no CRLF line; awaitClosed also takes a reset, which
        // Linux sends when the server closes with unread bytes in its buffer
        try (LineClient telnet = server.client(server.tlsAddress(), b -> b.strictCrlf(false))) {
            telnet.send("hello server\r");
            telnet.awaitClosed(); // nothing readable is sent
            assertFalse(telnet.transcript().stream().anyMatch(l -> l.contains("WELCOME")), telnet.transcript().toString());
            assertFalse(String.valueOf(telnet.unterminatedTail()).contains("WELCOME"), telnet.unterminatedTail());
            assertLogged(telnet.localAddress() + ": TLS handshake failed, closing: not TLS (plain text on a TLS port?)");
        }
        assertEquals(1, tlsClient().awaitWelcome().id(), "the plain-text connection took no client id");
        assertTrue(log.all().stream().noneMatch(l -> l.level().isMoreSpecificThan(Level.WARN)), log.all().toString());
    }

    /** The reason is logged on the event loop before the close, so it is there once the client has read EOF. */
    private void assertLogged(String message) {
        assertTrue(log.messages("STATE").contains(message), "not logged: " + message + " in " + log.messages("STATE"));
    }

    private static String addr(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
