package io.hermesnet.cluster;

import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RedisTickSource}: ID values unique across nodes, unsigned 32-bit, wrapping (docs/protocol.md §3.2). */
class RedisTickSourceTest {
    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(30)
    void threeNodesNeverHandOutTheSameValueAcrossTheWrap() throws Exception {
        // the counter just below 2^32: the blocks cross the wrap to 0
        redis.call("SET", "hermes:{test}:ticks", Long.toString(0xFFFF_FFFFL - 1500));
        List<Node> nodes = List.of(new Node(redis.uri(), "a", Duration.ofSeconds(5)),
                new Node(redis.uri(), "b", Duration.ofSeconds(5)), new Node(redis.uri(), "c", Duration.ofSeconds(5)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (Node n : nodes) {
                Callable<List<Long>> take = () -> {
                    List<Long> values = new ArrayList<>();
                    for (int i = 0; i < 2500; i++) { // 2.5 blocks: two leases ahead
                        values.add(n.cluster.ticks().nextTick());
                        LockSupport.parkNanos(20_000); // paced like clients' ticks, so a lease can come back
                    }
                    return values;
                };
                results.add(pool.submit(take));
            }
            Set<Long> all = new HashSet<>();
            boolean wrapped = false;
            for (Future<List<Long>> f : results) {
                for (long v : f.get()) {
                    assertTrue(v >= 0 && v <= 0xFFFF_FFFFL, "not unsigned 32-bit: " + v);
                    assertTrue(all.add(v), "handed out twice: " + v);
                    wrapped |= v < 10_000;
                }
            }
            assertEquals(7500, all.size());
            assertTrue(wrapped, "no value after the wrap");
        } finally {
            pool.shutdownNow();
            nodes.forEach(Node::close);
        }
    }
}
