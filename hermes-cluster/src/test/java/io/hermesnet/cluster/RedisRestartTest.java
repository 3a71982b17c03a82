package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.state.StateEvent;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A Redis with {@code --appendonly yes} restarted under three nodes: they resume, nothing lost or doubled. */
class RedisRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension().appendOnly();

    @Test
    @Timeout(60)
    void nodesResumeAfterARedisRestartWithEveryEventOnceInOneOrder() throws Exception {
        try (Node a = new Node(redis.uri(), "a", Duration.ofSeconds(5));
             Node b = new Node(redis.uri(), "b", Duration.ofSeconds(5));
             Node c = new Node(redis.uri(), "c", Duration.ofSeconds(5))) {
            List<Node> nodes = List.of(a, b, c);
            for (int i = 0; i < 9; i++) {
                Node n = nodes.get(i % 3);
                n.log().append(new StateEvent.Join(n.id, i, "127.0.0.1:" + (1000 + i), i));
            }
            a.awaitApplied(9, WAIT);
            redis.restart();
            // appended while Redis restarts or just after: queued, sent when it answers again
            for (int i = 9; i < 18; i++) {
                Node n = nodes.get(i % 3);
                n.log().append(new StateEvent.Join(n.id, i, "127.0.0.1:" + (1000 + i), i));
            }
            List<StateEvent> order = a.awaitApplied(18, WAIT);
            assertEquals(order, b.awaitApplied(18, WAIT));
            assertEquals(order, c.awaitApplied(18, WAIT));
            assertEquals(18, new HashSet<>(order).size());
            for (Node n : List.of(a, b, c)) {
                n.await("available", n.log()::isAvailable, WAIT);
            }
            assertEquals(18, redis.callInteger("XLEN", "hermes:{test}:log"));
        }
    }

    @Test
    @Timeout(60)
    void clientsOfThreeServersKeepChattingAcrossARedisRestart() throws Exception {
        HermesConfig config = HermesConfig.builder().maxClients(10).tickInterval(Duration.ZERO)
                .presenceDelay(Duration.ZERO).build();
        try (ThreeServers cluster = new ThreeServers(redis.uri(), config, Duration.ofSeconds(5))) {
            LineClient a = cluster.connect(0);
            a.awaitLine("WELCOME 1 client1 0 Welcome to HermesNet!");
            LineClient c = cluster.connect(2);
            c.awaitLine("WELCOME 2 client2 1 Welcome to HermesNet!");
            a.awaitLine("JOIN 2 client2");
            redis.restart();
            a.send("after the restart");
            c.awaitLine("MSG 1 client1 after the restart");
            LineClient b = cluster.connect(1);
            b.awaitLine("WELCOME 3 client3 2 Welcome to HermesNet!"); // ids go on: nothing was replayed twice
            a.awaitLine("JOIN 3 client3");
            c.awaitLine("JOIN 3 client3");
        }
    }
}
