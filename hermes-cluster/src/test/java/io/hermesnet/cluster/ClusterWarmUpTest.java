package io.hermesnet.cluster;

import io.hermesnet.server.Transport;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.testkit.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster node's warm-up of its own path ({@link RedisCluster#warmUp}, run by hermes-server before it
 * takes clients): lines go through a real redis-server between two scratch nodes, and nothing of them is
 * left in Redis or seen by the node's own cluster.
 */
class ClusterWarmUpTest {
    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    private final Transport transport = Transport.best();
    private EventLoopGroup loops;
    private RedisClient client;
    private StatefulRedisConnection<String, String> redisCli;
    private RedisCluster node;

    /** A node of the cluster {@code prod} on the test's loops, as hermes-server starts one, and a redis-cli. */
    @BeforeEach
    void start() {
        loops = transport.newEventLoops(2);
        client = RedisClient.create(redis.uri());
        redisCli = client.connect();
        node = RedisCluster.open(new ClusterBackend.Settings(redis.uri(), "prod", "n1", Duration.ofSeconds(5))
                .onLoops(loops, transport.socketChannel()));
        node.stateLog().start(event -> { });
    }

    @AfterEach
    void stop() {
        node.close();
        redisCli.close();
        client.shutdown();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(30)
    void linesGoThroughRedisAndNothingOfThemStays() {
        List<String> before = redisCli.sync().keys("*");

        long lines = node.warmUp(Duration.ofSeconds(3), () -> false);

        assertTrue(lines > 0, "lines carried and applied: " + lines);
        assertEquals(List.of(), redisCli.sync().keys("hermes:{prod.warm-up.n1}:*"), "the scratch cluster's keys");
        assertEquals(before.stream().sorted().toList(), redisCli.sync().keys("*").stream().sorted().toList(),
                "the node's own cluster is as it was");
        assertEquals(0L, redisCli.sync().xlen("hermes:{prod}:chat"), "no chat line in the node's own cluster");
    }

    @Test
    @Timeout(30)
    void aStopEndsItAtOnceAndStillCleansUp() {
        assertEquals(0, node.warmUp(Duration.ofSeconds(10), () -> true));

        assertEquals(List.of(), redisCli.sync().keys("hermes:{prod.warm-up.n1}:*"));
    }
}
