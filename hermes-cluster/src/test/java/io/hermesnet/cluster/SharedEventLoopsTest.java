package io.hermesnet.cluster;

import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.server.Transport;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.state.StateEvent;
import io.hermesnet.testkit.RedisServerExtension;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node given the server's event loops ({@link ClusterBackend.Settings#onLoops}, as hermes-server gives
 * them) runs its Redis connections on them: what it reads from Redis is applied on a server loop, and closing
 * the node leaves the loops to the server (docs/cluster.md "Threads"). A real redis-server.
 */
class SharedEventLoopsTest {
    private static final long WAIT_MS = 15_000;

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(30)
    void aNodeOnTheServersLoopsAppliesEntriesOnThemAndLeavesThemRunningWhenItCloses() throws Exception {
        Transport transport = Transport.best();
        EventLoopGroup loops = transport.newEventLoops(2);
        try {
            RedisCluster cluster = RedisCluster.open(new ClusterBackend.Settings(redis.uri(), "test", "a",
                    Duration.ofSeconds(5)).onLoops(loops, transport.socketChannel()));
            List<String> appliedOn = new CopyOnWriteArrayList<>();
            CountDownLatch applied = new CountDownLatch(2);
            try {
                cluster.stateLog().start(event -> {
                    appliedOn.add(onOneOf(loops) ? "a server loop" : Thread.currentThread().getName());
                    applied.countDown();
                });
                cluster.stateLog().append(new StateEvent.Join("a", 1, "127.0.0.1:1000", 1));
                cluster.stateLog().append(new StateEvent.Leave(1, LeaveReason.LOGOUT));
                assertTrue(applied.await(WAIT_MS, TimeUnit.MILLISECONDS), "applied: " + appliedOn);
                assertEquals(List.of("a server loop", "a server loop"), appliedOn);
                long first = cluster.ticks().nextTick();
                assertEquals(first + 1, cluster.ticks().nextTick(), "ID values come from the leased block");
            } finally {
                cluster.close();
            }
            for (EventExecutor loop : loops) {
                assertFalse(loop.isShuttingDown(), "closing the node stopped a server loop");
                assertEquals("ran", loop.submit(() -> "ran").get(WAIT_MS, TimeUnit.MILLISECONDS));
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static boolean onOneOf(EventLoopGroup loops) {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }
}
