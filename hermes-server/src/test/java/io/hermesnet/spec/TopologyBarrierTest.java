package io.hermesnet.spec;

import io.hermesnet.hub.Session;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import io.hermesnet.testkit.Topology;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testkit's topologies themselves: clients spread over the cluster's nodes, and the barrier that makes
 * "nothing more arrived" mean the same on three nodes as on one server (testkit {@code Topology}).
 */
@Timeout(20)
class TopologyBarrierTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @AcrossTopologies
    void clientsAreSpreadRoundRobinOverTheNodes() {
        Clients.join(server, 4);
        List<HermesServer> nodes = server.servers();
        assertEquals(server.topology() == Topology.CLUSTER3 ? 3 : 1, nodes.size());
        List<Long> connectedHere = nodes.stream()
                .map(s -> s.hub().sessions().stream().filter(Session::isLocal).count()).toList();
        assertEquals(nodes.size() == 3 ? List.of(2L, 1L, 1L) : List.of(4L), connectedHere);
        for (HermesServer s : nodes) {
            assertEquals(4, s.hub().clientCount(), "every node knows every client");
        }
    }

    @AcrossTopologies
    void expectNoMoreSeesALineStillCrossingNodes() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(0).send("in flight"); // not awaited: in a cluster it is on its way through Redis
        AssertionError e = assertThrows(AssertionError.class, abc.get(1)::expectNoMore);
        assertTrue(e.getMessage().contains("MSG 1 client1 in flight"), e.getMessage());
        abc.get(2).expectLine("MSG 1 client1 in flight"); // the barrier left the other clients' lines unread
        Clients.expectNoMore(abc.get(0), abc.get(2));
    }

    @AcrossTopologies
    void theBarrierCoversEveryNodesEvents() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(1).send("/nick Bob");   // node 1's event
        abc.get(2).send("from carol");  // node 2's chat line
        List<String> seen = abc.get(0).sync(); // node 0's client: after the barrier, both are here
        assertEquals(2, seen.size(), seen.toString()); // in either order: two nodes' events
        assertEquals(Set.of("RENAME 2 client2 Bob", "MSG 3 client3 from carol"), Set.copyOf(seen));
    }
}
