package io.hermesnet.server.cli;

import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineSource;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * {@code hermes-server --cluster} as real processes on a real redis-server (docs/protocol.md §6.4,
 * docs/cluster.md): two nodes behave as one server, a killed node's clients leave everywhere, a node
 * cut off from Redis says {@code BYE Cluster unavailable} and answers {@code /readyz} 503; and without
 * {@code --cluster} no cluster class is loaded at all.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(120)
class ClusterProcessTest {
    private static final Duration START = Duration.ofSeconds(40);
    private static final Duration SOON = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    /** A started server process: its output and the port of its first {@code listening on} line. */
    private record Node(Process process, LineSource output, int port) {
        int awaitAdminPort() {
            String line = output.awaitMatch("hermes-server operations endpoint on http://127\\.0\\.0\\.1:\\d+/", START);
            return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1, line.length() - 1));
        }
    }

    private Node start(String name, List<String> jvmOptions, String... flags) throws IOException, URISyntaxException {
        URL logConfig = HermesServerMain.class.getClassLoader().getResource("log4j2.xml");
        assertNotNull(logConfig, "the application's log4j2.xml is not on the class path");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=" + Path.of(logConfig.toURI()),
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HermesServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0", "--tick-interval", "off", "--presence-delay", "0"));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        LineSource output = LineSource.start(name, p.getInputStream(), "[" + name + "] ");
        String listening = output.awaitMatch("hermes-server listening on 127\\.0\\.0\\.1:\\d+", START);
        return new Node(p, output, Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1)));
    }

    private Node startNode(String id, String... more) throws IOException, URISyntaxException {
        List<String> flags = new ArrayList<>(List.of("--cluster", redis.uri(), "--cluster-name", "proc",
                "--node-id", id, "--node-timeout", "2s"));
        flags.addAll(List.of(more));
        return start(id, List.of(), flags.toArray(String[]::new));
    }

    private static LineClient welcomed(int port, String welcome) throws IOException {
        return LineClient.builder(new InetSocketAddress("127.0.0.1", port)).timeout(SOON).connect().awaitReady(welcome);
    }

    /** The status and body of {@code GET /readyz}, as {@code "503 not accepting clients: …"}. */
    private static String readyz(HttpClient http, int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void twoNodesAreOneServerAndAKilledNodesClientsLeaveEverywhere() throws Exception {
        Node a = startNode("a");
        Node b = startNode("b");
        try (LineClient alice = welcomed(a.port(), "WELCOME 1 client1 0 .*");
             LineClient bob = welcomed(b.port(), "WELCOME 2 client2 1 .*")) {
            alice.await("JOIN 2 client2");
            alice.send("/nick alice");
            bob.await("RENAME 1 client1 alice");
            bob.send("hi alice");
            alice.await("MSG 2 client2 hi alice");
            b.process().destroyForcibly(); // kill -9: no goodbye, its heartbeat just stops
            alice.await("LEAVE 2 client2 node", SOON);
            alice.await("CLIENTS 1", SOON);
            alice.send("/who");
            alice.await("WHO 1 alice 0 - 127\\.0\\.0\\.1:\\d+");
            alice.await("END WHO 1");
        }
    }

    @Test
    void aNodeCutOffFromRedisSaysClusterUnavailableAndIsNotReadyUntilRedisAnswers() throws Exception {
        Node a = startNode("a", "--admin-port", "0");
        int admin = a.awaitAdminPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(SOON).build();
        assertEquals("200 ready", readyz(http, admin));
        try (LineClient alice = welcomed(a.port(), "WELCOME 1 client1 0 .*")) {
            var resumed = redis.pause(Duration.ofSeconds(5)); // longer than --node-timeout 2s
            alice.awaitClosed(SOON);
            List<String> lines = alice.transcript();
            assertEquals("BYE Cluster unavailable", lines.get(lines.size() - 1), lines.toString());
            assertEquals("503 not accepting clients: cluster unavailable", readyz(http, admin));
            resumed.get(10, TimeUnit.SECONDS);
            a.output().awaitAnywhere(".*Cluster available again: accepting clients", SOON);
            assertEquals("200 ready", readyz(http, admin));
        }
        // its client left while the node was cut off: the cluster saw that leave, and the next one joins
        try (LineClient next = welcomed(a.port(), "WELCOME 2 client2 0 .*")) {
            next.send("/who");
            next.await("END WHO 1");
        }
    }

    @Test
    void withoutClusterNoClusterOrRedisClassIsLoaded(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.txt");
        Node a = start("plain", List.of("-Xlog:class+load=info:file=" + classes));
        try (LineClient one = welcomed(a.port(), "WELCOME 1 client1 0 .*");
             LineClient two = welcomed(a.port(), "WELCOME 2 client2 1 .*")) {
            one.send("hello");
            two.await("MSG 1 client1 hello");
        }
        a.process().destroy();
        assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("io.hermesnet.hub.HermesHub ")), "the log names no class");
        assertFalse(loaded.stream().anyMatch(l -> l.contains(" io.lettuce.") || l.contains(" io.hermesnet.cluster.")
                        || l.contains(" reactor.core.")),
                "loaded without --cluster: " + loaded.stream().filter(l -> l.contains("lettuce") || l.contains("cluster.")).toList());
    }
}
