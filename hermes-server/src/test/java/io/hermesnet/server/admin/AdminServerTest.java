package io.hermesnet.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations endpoint over real sockets: a real server with two event loops, the admin listener on
 * {@code 127.0.0.1:0}, requests through the JDK's {@link HttpClient}, JSON read back with Jackson and
 * the Prometheus text parsed for the named metrics.
 */
@Timeout(30)
class AdminServerTest {
    private final HermesCounters counters = new HermesCounters();

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).maxClients(3))
            .hub(config -> new HermesHub(config, counters))
            .ioThreads(2)
            .build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private AdminServer admin;

    private AdminServer admin() throws IOException {
        if (admin == null) {
            admin = AdminServer.start(server.server(), counters, new InetSocketAddress("127.0.0.1", 0), "9.9.9-test");
        }
        return admin;
    }

    @AfterEach
    void stopAdmin() {
        if (admin != null) {
            admin.close();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://" + "127.0.0.1:" + admin().localAddress().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    /** The samples of a Prometheus text scrape: {@code name{labels}} to value. */
    private Map<String, Double> metrics() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    private static double delta(Map<String, Double> after, Map<String, Double> before, String sample) {
        assertTrue(after.containsKey(sample), sample + " missing from /metrics");
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }

    @Test
    void metricsChangeAsClientsJoinChatErrAndLeave() throws Exception {
        Map<String, Double> before = metrics();
        assertEquals(0.0, before.get("hermes_clients_connected"));

        LineClient a = server.join();
        LineClient b = server.join();
        a.send("hello metrics");
        b.await("MSG 1 client1 hello metrics");
        a.send("/bogus");
        a.await("ERROR UNKNOWN_COMMAND .*");
        a.send("/exec 1 echo hi");
        b.await("EXEC 1 0 client1 echo hi");
        b.send("/result 1 hi");
        a.await("RESULT 1 client2 hi");

        Map<String, Double> during = metrics();
        assertEquals(2.0, during.get("hermes_clients_connected"));
        assertEquals(2.0, delta(during, before, "hermes_connections_accepted_total"));
        assertEquals(4.0, delta(during, before, "hermes_lines_received_total"));
        assertEquals(("hello metrics\n/bogus\n/exec 1 echo hi\n/result 1 hi\n").length(),
                delta(during, before, "hermes_received_bytes_total"));
        // WELCOME+CLIENTS, WELCOME+JOIN+CLIENTS+CLIENTS, MSG, ERROR, EXEC, OK EXEC, RESULT
        assertEquals(11.0, delta(during, before, "hermes_lines_delivered_total"));
        assertTrue(delta(during, before, "hermes_sent_bytes_total") > 100);
        assertEquals(1.0, delta(during, before, "hermes_errors_total{code=\"UNKNOWN_COMMAND\"}"));
        assertEquals(1.0, delta(during, before, "hermes_execs_total{outcome=\"allowed\"}"));
        assertEquals(1.0, delta(during, before, "hermes_execs_total{outcome=\"answered\"}"));

        a.send("/quit");
        b.await("LEAVE 1 client1 logout");
        Map<String, Double> after = metrics();
        assertEquals(1.0, after.get("hermes_clients_connected"));
        assertEquals(1.0, delta(after, before, "hermes_disconnects_total{reason=\"logout\"}"));
        assertEquals(0.0, delta(after, before, "hermes_disconnects_total{reason=\"sendq\"}"));
        assertTrue(after.containsKey("hermes_outbound_pending_bytes"));
        assertTrue(after.containsKey("hermes_connections_rejected_total{reason=\"full\"}"));
        assertTrue(after.containsKey("hermes_log_lines_dropped_total"));
    }

    @Test
    void metricsIncludeJvmAndNettyAllocatorMeters() throws Exception {
        Map<String, Double> m = metrics();
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), "JVM memory");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_live_threads")), "JVM threads");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("netty_allocator_memory_used{")), "Netty allocator");
        assertEquals(2, m.keySet().stream().filter(k -> k.startsWith("netty_eventexecutor_tasks_pending{")).count(),
                "one pending-tasks gauge per event loop");
        assertTrue(m.get("process_uptime_seconds") > 0);
    }

    @Test
    void clientsIsTheWhoListAsJson() throws Exception {
        LineClient a = server.join();
        LineClient b = server.join();
        b.send("/nick bob");
        b.await("NAME bob");
        HttpResponse<String> r = get("/clients");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode list = json.readTree(r.body());
        assertEquals(2, list.size());
        JsonNode first = list.get(0);
        assertEquals(1, first.get("id").asLong());
        assertEquals("client1", first.get("name").asText());
        assertEquals(0, first.get("rank").asInt());
        assertTrue(first.get("room").isNull(), "rooms are off");
        assertEquals("127.0.0.1:" + a.localPort(), first.get("address").asText());
        Instant since = Instant.parse(first.get("connectedSince").asText());
        assertFalse(since.isAfter(Instant.now()));
        assertFalse(first.get("node").asText().isEmpty());
        assertEquals("bob", list.get(1).get("name").asText());
        assertEquals(1, list.get(1).get("rank").asInt());
        assertEquals("127.0.0.1:" + b.localPort(), list.get(1).get("address").asText());
    }

    @Test
    void infoHasVersionUptimeAndSettings() throws Exception {
        server.join();
        HttpResponse<String> r = get("/info");
        assertEquals(200, r.statusCode());
        JsonNode info = json.readTree(r.body());
        assertEquals("9.9.9-test", info.get("server").get("version").asText());
        assertEquals(2, info.get("server").get("eventLoops").asInt());
        assertTrue(info.get("uptimeSeconds").asDouble() >= 0);
        assertEquals(1, info.get("clients").asInt());
        assertEquals(3, info.get("settings").get("maxClients").asInt());
        assertEquals("PT0S", info.get("settings").get("tickInterval").asText());
        assertEquals(4096, info.get("settings").get("maxLineBytes").asInt());
    }

    @Test
    void healthzAnswersOkWhileEveryEventLoopRuns() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void readyzTurns503OnceTheShutdownBegins() throws Exception {
        LineClient a = server.join();
        assertEquals(200, get("/readyz").statusCode());
        // the first step of HermesServer.shutdown: from here on no one is admitted
        server.hub().shutdown("Thank you");
        a.await("BYE Thank you");
        HttpResponse<String> r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("shutting down"), r.body());
        assertEquals(200, get("/healthz").statusCode(), "the event loops still run");
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        assertEquals(404, get("/").statusCode());
        HttpResponse<String> post = send("POST", "/metrics");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
        assertEquals(405, send("DELETE", "/clients").statusCode());
        HttpResponse<String> head = send("HEAD", "/info");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(Long.parseLong(head.headers().firstValue("content-length").orElseThrow()) > 0);
    }
}
