package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Real sockets, three HermesServers on one Redis (docs/protocol.md §6.4): clients spread over the nodes
 * see one server.
 */
class ClusterServersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HermesConfig CONFIG = HermesConfig.builder()
            .maxClients(10)
            .tickInterval(Duration.ZERO)
            .presenceDelay(Duration.ZERO)
            .build();

    @RegisterExtension
    final RedisServerExtension redis = new RedisServerExtension();

    @Test
    @Timeout(60)
    void clientsOnThreeNodesSeeOneServer() throws Exception {
        try (ThreeServers cluster = new ThreeServers(redis.uri(), CONFIG, Duration.ofSeconds(5))) {
            LineClient a = cluster.connect(0);
            a.awaitLine("WELCOME 1 client1 0 Welcome to HermesNet!");
            LineClient b = cluster.connect(1);
            b.awaitLine("WELCOME 2 client2 1 Welcome to HermesNet!");
            a.awaitLine("JOIN 2 client2");
            LineClient c = cluster.connect(2);
            c.awaitLine("WELCOME 3 client3 2 Welcome to HermesNet!");
            a.awaitLine("JOIN 3 client3");
            b.awaitLine("JOIN 3 client3");
            for (LineClient x : List.of(a, b, c)) {
                x.awaitLine("CLIENTS 3");
            }

            // chat crosses nodes, the sender gets no copy
            a.send("hello from node0");
            b.awaitLine("MSG 1 client1 hello from node0");
            c.awaitLine("MSG 1 client1 hello from node0");
            c.send("and from node2");
            a.awaitLine("MSG 3 client3 and from node2");
            b.awaitLine("MSG 3 client3 and from node2");

            // names are unique cluster-wide, ignoring case
            a.send("/nick Alice");
            a.awaitLine("NAME Alice");
            b.awaitLine("RENAME 1 client1 Alice");
            c.awaitLine("RENAME 1 client1 Alice");
            c.send("/nick ALICE");
            c.await("ERROR NAME_TAKEN .*", WAIT);

            // /who is the same list on every node, in one rank order
            List<List<String>> whos = new ArrayList<>();
            for (LineClient x : List.of(a, b, c)) {
                x.send("/who");
                List<String> rows = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    rows.add(x.await("WHO .*", WAIT).group());
                }
                x.awaitLine("END WHO 3");
                whos.add(rows);
            }
            assertEquals(whos.get(0), whos.get(1));
            assertEquals(whos.get(0), whos.get(2));
            assertEquals(List.of("WHO 1 Alice 0", "WHO 2 client2 1", "WHO 3 client3 2"),
                    whos.get(0).stream().map(r -> r.substring(0, r.lastIndexOf(' ', r.lastIndexOf(' ') - 1))).toList());

            // a leave on node1: everyone learns it, the rank below closes up
            b.send("/logout");
            b.awaitLine("BYE Goodbye");
            a.awaitLine("LEAVE 2 client2 logout");
            c.awaitLine("LEAVE 2 client2 logout");
            a.awaitLine("CLIENTS 2");
            c.awaitLine("CLIENTS 2");
            c.awaitLine("RANK 1");

            // EXEC crosses nodes: rank 0 on node0 to rank 1 on node2, the result comes back
            a.send("/exec 1 uptime");
            String execId = c.await("EXEC (\\d+) 0 Alice uptime", WAIT).group(1);
            a.await("OK EXEC " + execId + " 1 client3", WAIT);
            c.send("/result " + execId + " up 3 days");
            a.awaitLine("RESULT " + execId + " client3 up 3 days");
        }
    }

    @Test
    @Timeout(60)
    void twentyJoinsSpreadOverThreeNodesGetOneRankOrderEverywhere() throws Exception {
        HermesConfig config = CONFIG.toBuilder().maxClients(30).build();
        try (ThreeServers cluster = new ThreeServers(redis.uri(), config, Duration.ofSeconds(5))) {
            List<LineClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(cluster.connect(i % 3)); // all connect at once; Redis orders the joins
            }
            for (LineClient x : clients) {
                x.await("WELCOME .*", WAIT);
            }
            List<String> first = null;
            for (int node = 0; node < 3; node++) {
                LineClient asker = clients.get(node);
                asker.await("CLIENTS 20", WAIT); // its node has applied every join (the others' WELCOMEs say only theirs did)
                asker.send("/who");
                List<String> rows = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    rows.add(asker.await("WHO .*", WAIT).group());
                }
                asker.awaitLine("END WHO 20");
                if (first == null) {
                    first = rows;
                } else {
                    assertEquals(first, rows, "node " + node + " has another order");
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void aDeadNodesClientsLeaveEverywhereAndItsOwnAreToldClusterUnavailable() throws Exception {
        try (ThreeServers cluster = new ThreeServers(redis.uri(), CONFIG, Duration.ofMillis(1500))) {
            LineClient a = cluster.connect(0);
            a.awaitLine("WELCOME 1 client1 0 Welcome to HermesNet!");
            LineClient c = cluster.connect(2);
            c.awaitLine("WELCOME 2 client2 1 Welcome to HermesNet!");
            a.awaitLine("JOIN 2 client2");
            cluster.clusters.get(2).halt(); // node2 loses Redis for good, as a kill -9 of its store link
            a.awaitLine("LEAVE 2 client2 node");
            a.awaitLine("CLIENTS 1");
            c.awaitLine("BYE " + HermesServer.CLUSTER_UNAVAILABLE);
            c.awaitClosed();
            assertFalse(cluster.servers.get(2).isAccepting());
            // a new client of the cut-off node is told at once
            LineClient late = cluster.connect(2);
            late.awaitLine("BYE " + HermesServer.CLUSTER_UNAVAILABLE);
            late.awaitClosed();
        }
    }

    @Test
    @Timeout(60)
    void roomsAndTurnsSpanNodes() throws Exception {
        HermesConfig rooms = CONFIG.toBuilder().roomSize(2).turns(true).build();
        try (ThreeServers cluster = new ThreeServers(redis.uri(), rooms, Duration.ofSeconds(5))) {
            LineClient a = cluster.connect(0);
            a.awaitLine("WELCOME 1 client1 0 Welcome to HermesNet!");
            a.awaitLine("ROOM 1 WAITING");
            a.send("too early");
            a.await("ERROR NOT_READY .*", WAIT);
            LineClient b = cluster.connect(1);
            b.awaitLine("WELCOME 2 client2 1 Welcome to HermesNet!");
            for (LineClient x : List.of(a, b)) {
                x.awaitLine("ROOM 1 READY client1 client2");
            }
            a.awaitLine("TURN WRITE");
            b.awaitLine("TURN READ");
            LineClient c = cluster.connect(2);
            c.awaitLine("WELCOME 3 client3 2 Welcome to HermesNet!");
            c.awaitLine("ROOM 2 WAITING");

            b.send("out of turn");
            b.await("ERROR NOT_YOUR_TURN .*", WAIT);
            a.send("my turn, node0");
            b.awaitLine("MSG 1 client1 my turn, node0");
            a.awaitLine("TURN READ");
            b.awaitLine("TURN WRITE");
            b.send("now mine, node1");
            a.awaitLine("MSG 2 client2 now mine, node1");
            // room 2 heard none of it
            c.send("/rank");
            c.awaitLine("RANK 2");
            assertFalse(c.sync().stream().anyMatch(l -> l.startsWith("MSG ")), "chat crossed rooms");
        }
    }

    @Test
    @Timeout(60)
    void privateLinesExecTimeoutsAndTheClientLimitAreClusterWide() throws Exception {
        HermesConfig config = CONFIG.toBuilder().maxClients(2).execTimeout(Duration.ofMillis(500)).build();
        try (ThreeServers cluster = new ThreeServers(redis.uri(), config, Duration.ofSeconds(5))) {
            LineClient a = cluster.connect(0);
            a.awaitLine("WELCOME 1 client1 0 Welcome to HermesNet!");
            LineClient b = cluster.connect(1);
            b.awaitLine("WELCOME 2 client2 1 Welcome to HermesNet!");
            // --max-clients 2 counts the cluster: node2 has no client of its own and still refuses
            LineClient c = cluster.connect(2);
            c.awaitLine("ERROR FULL server is full (2/2)");
            c.awaitClosed();

            a.send("/msg CLIENT2 psst, node1");
            b.awaitLine("DM 1 client1 psst, node1");
            b.send("/msg nobody hello");
            b.await("ERROR NO_SUCH_NAME .*", WAIT);

            // an EXEC to a client on another node that never answers ends on the issuer's node
            a.send("/exec 1 uptime");
            String id = b.await("EXEC (\\d+) 0 client1 uptime", WAIT).group(1);
            a.awaitLine("OK EXEC " + id + " 1 client2");
            a.awaitLine("ERROR NO_SUCH_EXEC " + id + " no answer");
            b.send("/result " + id + " too late");
            b.await("ERROR NO_SUCH_EXEC .*", WAIT);
        }
    }
}
