package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nodes that find their Redis through a real Redis Sentinel ({@code redis-sentinel://HOST:PORT#master},
 * docs/cluster.md "TLS and Sentinel") behave as one server, and what they write lands in the master the
 * Sentinel names.
 */
class SentinelClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HermesConfig CONFIG = HermesConfig.builder()
            .maxClients(10)
            .tickInterval(Duration.ZERO)
            .presenceDelay(Duration.ZERO)
            .build();

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension().sentinel();

    @Test
    @Timeout(60)
    void nodesJoinedThroughTheSentinelAreOneServer() throws Exception {
        String uri = redis.sentinelUri();
        assertEquals("redis-sentinel://127.0.0.1:", uri.substring(0, uri.lastIndexOf(':') + 1));
        try (ThreeServers cluster = new ThreeServers(uri, CONFIG, Duration.ofSeconds(5))) {
            LineClient a = cluster.connect(0);
            a.await("WELCOME 1 client1 0 .*", WAIT);
            LineClient b = cluster.connect(1);
            b.await("WELCOME 2 client2 1 .*", WAIT);
            a.await("JOIN 2 client2", WAIT);
            a.await("CLIENTS 2", WAIT);
            b.await("CLIENTS 2", WAIT);

            a.send("hello through the sentinel");
            b.await("MSG 1 client1 hello through the sentinel", WAIT);
            b.send("/msg client1 psst");
            a.await("DM 2 client2 psst", WAIT);

            // the URI names only the Sentinel: the nodes' keys are in the master it monitors
            assertEquals(3, redis.callInteger("SCARD", "hermes:{it}:nodes"));
            assertEquals(3, redis.callInteger("XLEN", "hermes:{it}:log"), "two joins and the /msg");
        }
    }
}
