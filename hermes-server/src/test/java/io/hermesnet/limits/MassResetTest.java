package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §3.3, §3.5 under abrupt disconnects: 100 of 500 clients reset their connections (TCP RST);
 * every survivor gets exactly one {@code LEAVE <id> <name> closed} per reset client, and the ranks of
 * the 400 survivors are exactly 0..399, each agreeing with what that client was told.
 */
class MassResetTest {
    private static final int CLIENTS = 500;
    private static final int KILLED = 100;

    @Test
    @Timeout(90)
    void aHundredResetsOfFiveHundredGiveEverySurvivorExactlyAHundredLeaves() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxClients(600).quiet(true).build())) {
            int port = server.localAddress().getPort();
            long tStart = System.nanoTime();
            try (ClientGroup group = ClientGroup.join(port, CLIENTS)) {
                List<RawClient> clients = group.clients;
                for (RawClient c : clients) { // every join has been announced to everyone
                    c.await("CLIENTS " + CLIENTS);
                }

                long t0 = System.nanoTime();
                System.out.printf("joined in %d ms, cpu %s%n", (t0 - tStart) / 1_000_000,
                        ProcessHandle.current().info().totalCpuDuration().orElse(null));
                Set<String> expectedLeaves = new HashSet<>();
                Set<Integer> killedRanks = new HashSet<>();
                List<RawClient> survivors = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    RawClient c = clients.get(i);
                    if (i % (CLIENTS / KILLED) == 2) {
                        expectedLeaves.add("LEAVE " + c.id + " " + c.name + " closed");
                        killedRanks.add(c.rank);
                        group.reset(c);
                    } else {
                        survivors.add(c);
                    }
                }
                assertEquals(KILLED, expectedLeaves.size());

                Map<RawClient, List<Integer>> rankLines = new HashMap<>();
                for (RawClient s : survivors) {
                    // CLIENTS falls with each leave, so CLIENTS 400 comes after the last LEAVE
                    List<String> seen = s.until(("CLIENTS " + (CLIENTS - KILLED))::equals, Duration.ofSeconds(40));
                    Set<String> leaves = new HashSet<>();
                    List<Integer> ranks = new ArrayList<>();
                    for (String l : seen) {
                        if (l.startsWith("LEAVE ")) {
                            assertTrue(leaves.add(l), "LEAVE twice: " + l);
                        } else if (l.startsWith("RANK ")) {
                            ranks.add(Integer.parseInt(l.substring(5)));
                        }
                    }
                    assertEquals(expectedLeaves, leaves, "client " + s.id);
                    rankLines.put(s, ranks);
                    s.send("/rank\n"); // answered after every leave: the server has taken them all
                }

                Map<RawClient, Integer> finalRanks = new HashMap<>();
                for (RawClient s : survivors) {
                    // one RANK per reset client above it, each one up; then the answer to /rank
                    int above = (int) killedRanks.stream().filter(r -> r < s.rank).count();
                    List<Integer> ranks = rankLines.get(s);
                    while (ranks.size() < above + 1) {
                        String l = s.await(x -> x.startsWith("RANK "), RawClient.WAIT);
                        ranks.add(Integer.parseInt(l.substring(5)));
                    }
                    List<Integer> expected = new ArrayList<>();
                    for (int k = 1; k <= above; k++) {
                        expected.add(s.rank - k);
                    }
                    expected.add(s.rank - above);
                    assertEquals(expected, ranks, "RANK lines of client " + s.id + ", rank " + s.rank + " at first");
                    finalRanks.put(s, s.rank - above);
                }
                long t1 = System.nanoTime();

                RawClient asker = survivors.get(survivors.size() - 1);
                asker.send("/who\n");
                List<String> who = asker.until(l -> l.startsWith("END WHO "), RawClient.WAIT);
                assertEquals("END WHO " + (CLIENTS - KILLED), who.get(who.size() - 1));
                Map<Long, Integer> whoRanks = new HashMap<>();
                int row = 0;
                for (String l : who) {
                    if (l.startsWith("WHO ")) {
                        String[] f = l.split(" ");
                        assertEquals(row++, Integer.parseInt(f[3]), "WHO rows are in rank order 0..n-1");
                        whoRanks.put(Long.parseLong(f[1]), Integer.parseInt(f[3]));
                    }
                }
                assertEquals(CLIENTS - KILLED, row);
                for (RawClient s : survivors) {
                    assertEquals(whoRanks.get(s.id), finalRanks.get(s), "client " + s.id + " was told another rank");
                }
                System.out.printf("joins %d ms, leaves %d ms, who %d ms, cpu %s%n", (t0 - tStart) / 1_000_000, (t1 - t0) / 1_000_000,
                        (System.nanoTime() - t1) / 1_000_000, ProcessHandle.current().info().totalCpuDuration().orElse(null));
            }
        }
    }
}
