package io.hermesnet.testkit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RedisServerExtension}'s TLS-only Redis and its Sentinel, as a client sees them. */
@Timeout(60)
class RedisServerExtensionTest {

    @Nested
    class Tls {
        @RegisterExtension
        final RedisServerExtension redis = new RedisServerExtension().tls();

        @Test
        void speaksTlsOnlyWithACertificateOfItsCaAndKeepsItAcrossARestart() throws Exception {
            assertEquals("rediss://127.0.0.1:" + redis.port(), redis.uri());
            assertEquals("+PONG", tlsPing());
            // no plain text on that port: a plain PING gets no +PONG (Redis drops the connection)
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, readOrEnd(plain.getInputStream()));
            }
            redis.restart();
            assertEquals("+PONG", tlsPing());
            assertEquals("+PONG", redis.call("PING"));
        }

        private String tlsPing() throws IOException {
            try (SSLSocket s = (SSLSocket) redis.certificates().clientContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), redis.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] reply = s.getInputStream().readNBytes(5);
                return new String(reply, StandardCharsets.US_ASCII);
            }
        }

        private static int readOrEnd(InputStream in) {
            try {
                return in.read();
            } catch (IOException reset) {
                return -1;
            }
        }
    }

    @Nested
    class Sentinel {
        @RegisterExtension
        final RedisServerExtension redis = new RedisServerExtension().sentinel();

        @Test
        void namesThisRedisAsItsMaster() throws Exception {
            String uri = redis.sentinelUri();
            assertTrue(uri.matches("redis-sentinel://127\\.0\\.0\\.1:\\d+#mymaster"), uri);
            int sentinelPort = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1, uri.indexOf('#')));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sentinelPort)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("SENTINEL GET-MASTER-ADDR-BY-NAME mymaster\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readNBytes(
                        ("*2\r\n$9\r\n127.0.0.1\r\n$" + Integer.toString(redis.port()).length() + "\r\n" + redis.port() + "\r\n").length()),
                        StandardCharsets.US_ASCII);
                assertEquals("*2\r\n$9\r\n127.0.0.1\r\n$" + Integer.toString(redis.port()).length() + "\r\n" + redis.port() + "\r\n", reply);
            }
        }
    }

    @Test
    void tlsAndSentinelDoNotCombine() {
        assertThrows(org.junit.jupiter.api.extension.ExtensionConfigurationException.class,
                () -> new RedisServerExtension().tls().sentinel());
    }

    @Test
    void certificatesAndSentinelUriNeedTheirOption() {
        RedisServerExtension plain = new RedisServerExtension();
        assertThrows(IllegalStateException.class, plain::certificates);
        assertThrows(IllegalStateException.class, plain::sentinelUri);
    }
}
