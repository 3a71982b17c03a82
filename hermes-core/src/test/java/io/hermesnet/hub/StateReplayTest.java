package io.hermesnet.hub;

import io.hermesnet.state.LocalStateLog;
import io.hermesnet.state.StateEvent;
import io.hermesnet.state.StateLog;
import io.hermesnet.state.TickSource;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State as ordered events (docs/design.md): the events one server's hub applied, applied in the same order by
 * a second hub that holds none of the connections (as another server of a cluster would), give the second
 * hub the same clients, ids, names, ranks, rooms and pending EXECs.
 */
class StateReplayTest {

    /** A {@link LocalStateLog} that also records every event it applies, in order. */
    private static final class RecordingLog implements StateLog {
        final LocalStateLog inner = new LocalStateLog("node-a");
        final List<StateEvent> applied = new ArrayList<>();

        @Override
        public void start(Applier applier) {
            inner.start(e -> {
                applied.add(e);
                applier.apply(e);
            });
        }

        @Override
        public void append(StateEvent event) {
            inner.append(event);
        }

        @Override
        public boolean appliesInline() {
            return true;
        }

        @Override
        public String nodeId() {
            return inner.nodeId();
        }
    }

    private record Row(long id, String name, int rank, long room, String node, String address) {
        static Row of(Session s) {
            return new Row(s.id(), s.name(), s.rank(), s.roomId(), s.node(), s.address());
        }
    }

    private static List<Row> rows(HermesHub hub) {
        return hub.sessions().stream().map(Row::of).toList();
    }

    @Test
    void aSecondHubApplyingTheSameEventsHoldsTheSameState() {
        HermesConfig config = TestClients.quietConfig().roomSize(2).turns(true).build();
        RecordingLog log = new RecordingLog();
        HermesHub a = new HermesHub(config, log, TickSource.local(0), LogGate.unbounded(), HermesMetrics.NOOP);
        try (TestClients clients = new TestClients(a)) {
            List<TestClient> c = clients.connect(5);
            c.get(0).send("/nick ann");
            c.get(2).send("/nick ANN"); // refused on apply: the name is taken in another case
            c.get(0).send("hello"); // ann holds the turn in room 1
            c.get(0).send("/exec 4 uptime");
            c.get(1).send("/exec 0 ls"); // refused: upwards
            c.get(3).disconnect();
            c.get(4).send("/nick bo");

            LocalStateLog replayLog = new LocalStateLog("node-b");
            HermesHub b = new HermesHub(config, replayLog, TickSource.local(0), LogGate.unbounded(), HermesMetrics.NOOP);
            for (StateEvent e : log.applied) {
                replayLog.append(e);
            }

            assertFalse(rows(a).isEmpty());
            assertEquals(rows(a), rows(b), "same ids, names, ranks, rooms, nodes and addresses");
            assertEquals(a.roomCount(), b.roomCount());
            assertEquals(a.pendingExecCount(), b.pendingExecCount());
            assertEquals(1, b.pendingExecCount(), "ann's EXEC to rank 4 is pending on both");
            assertTrue(b.sessions().stream().noneMatch(Session::isLocal), "b holds none of the connections");
            assertEquals("bo", b.sessions().get(3).name());
        }
    }

    @Test
    void aServerWithoutTheConnectionsSendsNothingWhenApplying() {
        HermesConfig config = TestClients.quietConfig().build();
        RecordingLog log = new RecordingLog();
        HermesHub a = new HermesHub(config, log, TickSource.local(0), LogGate.unbounded(), HermesMetrics.NOOP);
        try (TestClients clients = new TestClients(a)) {
            clients.connect(2);
            LocalStateLog replayLog = new LocalStateLog("node-b");
            HermesHub b = new HermesHub(config, replayLog, TickSource.local(0), LogGate.unbounded(), HermesMetrics.NOOP);
            TestClients bClients = new TestClients(b);
            TestClient local = bClients.connect(); // b's own client joins first: id 1 on b
            for (StateEvent e : log.applied) {
                replayLog.append(e);
            }

            assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1", "JOIN 2 client2",
                    "CLIENTS 2", "JOIN 3 client3", "CLIENTS 3"), local.lines(),
                    "b's own client sees the other server's clients join; the ids go on from b's order");
            bClients.close();
        }
    }
}
