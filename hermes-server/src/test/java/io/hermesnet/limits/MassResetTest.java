package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.LineClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.hermesnet.limits.TestServers.WAIT;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §3.3, §3.5 under abrupt disconnects: 100 of 500 clients reset their connections (TCP RST);
 * every survivor gets exactly one {@code LEAVE <id> <name> closed} per reset client, and the ranks of
 * the 400 survivors are exactly 0..399, each agreeing with what that client was told. The clients are
 * read by one {@link LineClients} thread, not a thread each.
 */
class MassResetTest {
    private static final int CLIENTS = 500;
    private static final int KILLED = 100;

    @Test
    @Timeout(90)
    void aHundredResetsOfFiveHundredGiveEverySurvivorExactlyAHundredLeaves() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxClients(600).quiet(true).build())) {
            long tStart = System.nanoTime();
            try (LineClients group = LineClients.open()) {
                List<LineClient> clients = group.connect(server.localAddress(), CLIENTS, b -> b.timeout(WAIT));
                for (LineClient c : clients) {
                    c.awaitWelcome();
                }
                for (LineClient c : clients) { // every join has been announced to everyone
                    c.awaitLine("CLIENTS " + CLIENTS);
                }

                long t0 = System.nanoTime();
                System.out.printf("joined in %d ms, cpu %s%n", (t0 - tStart) / 1_000_000,
                        ProcessHandle.current().info().totalCpuDuration().orElse(null));
                Set<String> expectedLeaves = new HashSet<>();
                Set<Integer> killedRanks = new HashSet<>();
                List<LineClient> survivors = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    LineClient c = clients.get(i);
                    if (i % (CLIENTS / KILLED) == 2) {
                        expectedLeaves.add("LEAVE " + c.welcome().id() + " " + c.welcome().name() + " closed");
                        killedRanks.add(c.welcome().rank());
                        c.abort();
                    } else {
                        survivors.add(c);
                    }
                }
                assertEquals(KILLED, expectedLeaves.size());

                Map<LineClient, List<Integer>> rankLines = new HashMap<>();
                Pattern lastClients = Pattern.compile("CLIENTS " + (CLIENTS - KILLED));
                for (LineClient s : survivors) {
                    // CLIENTS falls with each leave, so CLIENTS 400 comes after the last LEAVE
                    List<String> seen = s.linesUntil(lastClients, Duration.ofSeconds(40));
                    Set<String> leaves = new HashSet<>();
                    List<Integer> ranks = new ArrayList<>();
                    for (String l : seen) {
                        if (l.startsWith("LEAVE ")) {
                            assertTrue(leaves.add(l), "LEAVE twice: " + l);
                        } else if (l.startsWith("RANK ")) {
                            ranks.add(Integer.parseInt(l.substring(5)));
                        }
                    }
                    assertEquals(expectedLeaves, leaves, "client " + s.welcome().id());
                    rankLines.put(s, ranks);
                    s.send("/rank"); // answered after every leave: the server has taken them all
                }

                Map<LineClient, Integer> finalRanks = new HashMap<>();
                for (LineClient s : survivors) {
                    // one RANK per reset client above it, each one up; then the answer to /rank
                    int rank = s.welcome().rank();
                    int above = (int) killedRanks.stream().filter(r -> r < rank).count();
                    List<Integer> ranks = rankLines.get(s);
                    while (ranks.size() < above + 1) {
                        ranks.add(Integer.parseInt(s.await("RANK (\\d+)", WAIT).group(1)));
                    }
                    List<Integer> expected = new ArrayList<>();
                    for (int k = 1; k <= above; k++) {
                        expected.add(rank - k);
                    }
                    expected.add(rank - above);
                    assertEquals(expected, ranks, "RANK lines of client " + s.welcome().id() + ", rank " + rank + " at first");
                    finalRanks.put(s, rank - above);
                }
                long t1 = System.nanoTime();

                LineClient asker = survivors.get(survivors.size() - 1);
                asker.send("/who");
                List<String> who = asker.linesUntil(Pattern.compile("END WHO .*"), WAIT);
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
                for (LineClient s : survivors) {
                    assertEquals(whoRanks.get(s.welcome().id()), finalRanks.get(s),
                            "client " + s.welcome().id() + " was told another rank");
                }
                System.out.printf("joins %d ms, leaves %d ms, who %d ms, cpu %s%n", (t0 - tStart) / 1_000_000, (t1 - t0) / 1_000_000,
                        (System.nanoTime() - t1) / 1_000_000, ProcessHandle.current().info().totalCpuDuration().orElse(null));
            }
        }
    }
}
