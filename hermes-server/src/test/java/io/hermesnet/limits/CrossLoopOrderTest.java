package io.hermesnet.limits;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/protocol.md §3.3 over two event loops: lines a fan-out sends to clients of the other loop go through
 * that loop's one queue (docs/design.md "One way out per client"), and a watcher still sees every
 * {@code JOIN}/{@code CLIENTS} and {@code LEAVE}/{@code CLIENTS} pair in the order the server applied them,
 * with chat from both loops in between: joins in the order they were made, and every leave followed by its
 * own count, the counts only going down.
 */
class CrossLoopOrderTest {
    private static final int CLIENTS = 40;

    @Test
    void aWatcherSeesJoinsAndLeavesOfBothLoopsInOrder() throws Exception {
        HermesConfig config = HermesConfig.builder().maxClients(CLIENTS + 1).tickInterval(Duration.ZERO).quiet(true)
                .build();
        try (HermesServer server = TestServers.start(config);
             LineClient watcher = LineClient.connect(server.localAddress())) {
            watcher.awaitWelcome();
            List<LineClient> others = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    LineClient c = LineClient.connect(server.localAddress());
                    c.awaitWelcome();
                    c.send("hello from " + (i + 2)); // chat relayed from whichever loop holds this client
                    others.add(c);
                }
                for (int i = 0; i < CLIENTS / 2; i++) {
                    others.get(i).send("/quit");
                }
                // the last join's count, then the last leave's (await consumes the lines before its match,
                // so the second is the count after the leaves, not the 21st join's): everything has arrived
                watcher.await("CLIENTS " + (CLIENTS + 1), Duration.ofSeconds(20));
                watcher.await("CLIENTS " + (CLIENTS / 2 + 1), Duration.ofSeconds(20));
                List<String> presence = new ArrayList<>();
                for (String line : watcher.transcript()) {
                    if (line.startsWith("JOIN ") || line.startsWith("LEAVE ") || line.startsWith("CLIENTS ")) {
                        presence.add(line);
                    }
                }
                List<String> expected = new ArrayList<>();
                expected.add("CLIENTS 1");
                for (int id = 2; id <= CLIENTS + 1; id++) {
                    expected.add("JOIN " + id + " client" + id);
                    expected.add("CLIENTS " + id);
                }
                assertEquals(expected, presence.subList(0, expected.size()), "joins in the order they were made");
                // the /quit lines reach the two loops at once, so the leaves may be applied in any order;
                // each LEAVE is followed by its own count, and the counts only go down
                List<String> leaves = presence.subList(expected.size(), presence.size());
                assertEquals(CLIENTS, leaves.size(), leaves.toString());
                java.util.Set<Integer> left = new java.util.TreeSet<>();
                for (int i = 0; i < leaves.size(); i += 2) {
                    String[] leave = leaves.get(i).split(" ");
                    assertEquals("LEAVE", leave[0], leaves.toString());
                    assertEquals("logout", leave[3], leaves.toString());
                    left.add(Integer.parseInt(leave[1]));
                    assertEquals("CLIENTS " + (CLIENTS - i / 2), leaves.get(i + 1), leaves.toString());
                }
                java.util.Set<Integer> quitters = new java.util.TreeSet<>();
                for (int id = 2; id <= CLIENTS / 2 + 1; id++) {
                    quitters.add(id);
                }
                assertEquals(quitters, left);
            } finally {
                for (LineClient c : others) {
                    c.close();
                }
            }
        }
    }
}
