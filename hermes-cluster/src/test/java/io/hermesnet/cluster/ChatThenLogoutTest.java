package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A chat line sent just before its sender logs out reaches the clients of the other nodes (docs/protocol.md
 * §3.4, §3.8, §6.4): the line and the leave often go to Redis in one call, and a node waiting for entries
 * may be woken by the leave alone (docs/cluster.md "Ordering"). Clients joining meanwhile keep the log busy.
 */
class ChatThenLogoutTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int ROUNDS = 4;
    private static final int SENDERS = 30;

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(120)
    void aLineJustBeforeItsSendersLogoutReachesTheOtherNodes() throws Exception {
        HermesConfig config = HermesConfig.builder().maxClients(200).tickInterval(Duration.ZERO)
                .presenceDelay(Duration.ZERO).build();
        try (ThreeServers cluster = new ThreeServers(redis.uri(), config, Duration.ofSeconds(5))) {
            LineClient observer = cluster.connect(1);
            observer.await("WELCOME .*", WAIT);
            for (int round = 0; round < ROUNDS; round++) {
                List<LineClient> senders = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    LineClient c = cluster.connect(i % 2 == 0 ? 0 : 2);
                    c.await("WELCOME .*", WAIT);
                    senders.add(c);
                }
                List<LineClient> joiners = new ArrayList<>();
                Set<String> owed = new HashSet<>();
                for (int i = 0; i < SENDERS; i++) {
                    String line = "line-" + round + "-" + i;
                    senders.get(i).send(line);
                    senders.get(i).send("/logout");
                    owed.add(line);
                    if (i % 3 == 0) {
                        LineClient j = cluster.connect(i % 2 == 0 ? 0 : 2);
                        j.await("WELCOME .*", WAIT);
                        joiners.add(j);
                    }
                }
                while (!owed.isEmpty()) {
                    try {
                        owed.remove(observer.await("MSG \\d+ \\S+ (line-.*)", WAIT).group(1));
                    } catch (AssertionError e) {
                        throw new AssertionError("lines that never reached node 1: " + owed, e);
                    }
                }
                joiners.forEach(LineClient::close);
            }
        }
    }
}
