package io.hermesnet.server.cli;

import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import io.hermesnet.testkit.RedisServerExtension;
import io.hermesnet.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hermes-server --cluster rediss://…} as real processes on a real TLS-only redis-server
 * (docs/cluster.md "TLS and Sentinel"): the node trusts Redis's CA through the JDK's standard trust store
 * properties, made with {@code keytool} exactly as the docs say; two such nodes are one server, and a
 * node that does not trust Redis's certificate does not join: one line on standard error, exit 1.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(120)
class ClusterTlsProcessTest {
    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration SOON = Duration.ofSeconds(15);
    private static final String STORE_PASSWORD = "changeit";

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension().tls();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    /** docs/cluster.md's {@code keytool -importcert} of a PEM CA into a PKCS#12 trust store. */
    private static Path trustStore(Path caPem, Path store) throws IOException, InterruptedException {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-importcert", "-noprompt", "-alias", "redis-ca", "-file", caPem.toString(),
                "-keystore", store.toString(), "-storepass", STORE_PASSWORD).redirectErrorStream(true).start();
        List<String> output = LineSource.start("keytool", keytool.getInputStream(), "[keytool] ").awaitEnd(START);
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), output.toString());
        return store;
    }

    /** A {@code hermes-server --cluster <redis.uri()>} process trusting {@code store}; not yet awaited. */
    private Process node(String id, Path store) throws IOException, URISyntaxException {
        URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
        assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
        Process p = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                "-XX:TieredStopAtLevel=1",
                "-Djavax.net.ssl.trustStore=" + store,
                "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD,
                "-cp", System.getProperty("java.class.path"), HermesServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0", "--tick-interval", "off", "--presence-delay", "0",
                "--cluster", redis.uri(), "--cluster-name", "tls", "--node-id", id, "--node-timeout", "2s").start();
        processes.add(p);
        return p;
    }

    private static int awaitPort(Process p, String name) {
        LineSource output = LineSource.start(name, p.getInputStream(), "[" + name + "] ");
        LineSource.start(name + "-err", p.getErrorStream(), "[" + name + " err] ");
        String listening = output.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", START);
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }

    private static LineClient welcomed(int port, String welcome) throws IOException {
        return LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(SOON).connect().awaitReady(welcome);
    }

    @Test
    void twoNodesOnRedisOverTlsAreOneServer(@TempDir Path dir) throws Exception {
        assertTrue(redis.uri().startsWith("rediss://127.0.0.1:"), redis.uri());
        Path store = trustStore(redis.certificates().caFile(), dir.resolve("redis-ca.p12"));
        int a = awaitPort(node("a", store), "a");
        int b = awaitPort(node("b", store), "b");
        try (LineClient alice = welcomed(a, "WELCOME 1 client1 0 .*");
             LineClient bob = welcomed(b, "WELCOME 2 client2 1 .*")) {
            alice.await("JOIN 2 client2");
            alice.await("CLIENTS 2");
            bob.await("CLIENTS 2");
            bob.send("hi over tls");
            alice.await("MSG 2 client2 hi over tls");
            alice.send("/msg client2 psst");
            bob.await("DM 1 client1 psst");
        }
    }

    @Test
    void aNodeThatDoesNotTrustRedisCertificateIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        TestCertificates stranger = TestCertificates.create(dir.resolve("other-ca")); // not the CA that signed Redis's
        Process p = node("untrusting", trustStore(stranger.caFile(), dir.resolve("other-ca.p12")));
        LineSource out = LineSource.start("out", p.getInputStream(), "[untrusting] ");
        LineSource err = LineSource.start("err", p.getErrorStream(), "[untrusting err] ");
        List<String> errors = err.awaitEnd(START);
        List<String> output = out.awaitEnd(START);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), errors + "\n" + output);
        assertEquals(1, errors.size(), "one line: " + errors);
        assertTrue(errors.get(0).startsWith("hermes-server: cannot join the cluster on " + redis.uri() + ": "), errors.get(0));
        assertTrue(errors.get(0).contains(": Redis's TLS certificate was refused ("), "says it is the certificate: " + errors.get(0));
        List<String> all = new ArrayList<>(output);
        all.addAll(errors);
        assertFalse(all.stream().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), "stack trace: " + all);
        assertFalse(all.stream().anyMatch(l -> l.contains("listening on")), all.toString());
    }
}
