package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short churn on three nodes (the CI-sized cousin of the 10-minute soak): clients join, chat and
 * leave on random nodes; at the end every node holds the same members in the same order, and every chat
 * line reached each of the three observers (one per node, connected throughout) exactly once.
 */
class ClusterChurnTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    private record Sent(String token, LineClient from) {
    }

    @Test
    @Timeout(90)
    void threeNodesUnderChurnEndInOneStateAndLoseNoChatLine() throws Exception {
        HermesConfig config = HermesConfig.builder().maxClients(100).tickInterval(Duration.ZERO)
                .presenceDelay(Duration.ZERO).build();
        Random random = new Random(17); // a fixed seed: a failure can be replayed
        try (ThreeServers cluster = new ThreeServers(redis.uri(), config, Duration.ofSeconds(5))) {
            List<LineClient> observers = new ArrayList<>();
            for (int node = 0; node < 3; node++) {
                LineClient o = cluster.connect(node);
                o.await("WELCOME .*", WAIT);
                observers.add(o);
            }
            List<LineClient> churners = new ArrayList<>();
            List<Sent> sent = new ArrayList<>();
            java.util.Set<LineClient> chatted = new java.util.HashSet<>();
            for (int op = 0; op < 300; op++) {
                int what = random.nextInt(10);
                if (what < 3 || churners.isEmpty()) {
                    LineClient c = cluster.connect(random.nextInt(3));
                    c.await("WELCOME .*", WAIT);
                    churners.add(c);
                } else if (what < 5) {
                    LineClient c = churners.remove(random.nextInt(churners.size()));
                    if (random.nextBoolean() && !chatted.contains(c)) {
                        // not after chat: a close with unread input is a TCP reset, and a reset may drop
                        // lines the server has not read yet (TCP's rule, not the cluster's)
                        c.close();
                    } else {
                        c.send("/logout"); // read after the chat lines before it: they go out first
                    }
                } else {
                    List<LineClient> everyone = new ArrayList<>(observers);
                    everyone.addAll(churners);
                    LineClient from = everyone.get(random.nextInt(everyone.size()));
                    String token = "line-" + op;
                    from.send(token);
                    chatted.add(from);
                    sent.add(new Sent(token, from));
                }
            }
            // the observers' last lines: once each has seen the others', every earlier line has come in
            for (int i = 0; i < 3; i++) {
                observers.get(i).send("end-" + i);
                sent.add(new Sent("end-" + i, observers.get(i)));
            }
            for (LineClient o : observers) {
                java.util.Set<String> ends = new java.util.HashSet<>(); // the two may come in either order
                while (ends.size() < 2) { // bounded: each await fails after WAIT
                    ends.add(o.await("MSG \\d+ \\S+ (end-\\d)", WAIT).group(1));
                }
            }
            for (int node = 0; node < 3; node++) {
                LineClient o = observers.get(node);
                List<String> chat = o.transcript().stream().filter(l -> l.startsWith("MSG "))
                        .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
                List<String> expected = sent.stream().filter(s -> s.from() != o).map(Sent::token).toList();
                assertEquals(expected.stream().sorted().toList(), chat.stream().sorted().toList(),
                        "lost or doubled chat lines at the observer on node " + node + " (sent: " + sent.stream()
                                .map(x -> x.token() + " by " + x.from()).toList() + ")");
            }
            // every node ends with the same members, ids, names and ranks (churners' leaves included)
            for (int node = 0; node < 3; node++) {
                HermesHub hub = cluster.servers.get(node).hub();
                assertTrue(cluster.clusters.get(node).stateLog().awaitCondition(
                        () -> hub.clientCount() == 3 + churners.size(), WAIT), "the leaves reached node " + node);
            }
            List<String> first = members(cluster, 0);
            assertEquals(first, members(cluster, 1));
            assertEquals(first, members(cluster, 2));
        }
    }

    private static List<String> members(ThreeServers cluster, int node) {
        return cluster.servers.get(node).hub().sessions().stream()
                .map(s -> s.id() + " " + s.name() + " " + s.rank() + " " + s.node()).toList();
    }
}
