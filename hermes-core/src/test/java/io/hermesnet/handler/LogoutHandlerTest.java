package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.hermesnet.state.LocalStateLog;
import io.hermesnet.state.StateEvent;
import io.hermesnet.state.StateLog;
import io.hermesnet.state.TickSource;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LogoutHandler}: every logout form gets {@code BYE Goodbye}, then the close (docs/protocol.md §3.8). */
class LogoutHandlerTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().build());
    private final TestClient a = clients.connect();
    private final TestClient b = clients.connect();

    LogoutHandlerTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/logout", "/quit", "/LOGOUT", "/Quit", "logout", "exit", "quit", "LOGOUT", "Exit", "  qUIT  ",
        "\texit"})
    void byeGoodbyeThenCloseAndOneLeaveForTheOthers(String line) {
        a.send(line);
        assertEquals(List.of("BYE Goodbye"), a.lines(), "BYE is the last line");
        assertFalse(a.isOpen());
        assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0"), b.lines(), "exactly one LEAVE");
        assertEquals(1, clients.hub().clientCount());
    }

    @Test
    void quitNowIsChat() {
        a.send("quit now");
        assertTrue(a.isOpen());
        assertEquals(List.of("MSG 1 client1 quit now"), b.lines());
    }

    @Test
    void linesAfterLogoutInTheSameReadAreNotActedOn() {
        a.sendBytes("/quit\nhello\n/nick late\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("BYE Goodbye"), a.lines());
        assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0"), b.lines());
    }

    /** A log that applies what was appended only when told, as a cluster's log applies an event once it comes back from the store. */
    private static final class HeldLog implements StateLog {
        private final LocalStateLog inner = new LocalStateLog("node-a");
        private final List<StateEvent> held = new ArrayList<>();

        @Override
        public void start(Applier applier) {
            inner.start(applier);
        }

        @Override
        public void append(StateEvent event) {
            held.add(event);
        }

        void applyHeld() {
            List<StateEvent> now = new ArrayList<>(held);
            held.clear();
            now.forEach(inner::append);
        }

        @Override
        public boolean appliesInline() {
            return false;
        }

        @Override
        public String nodeId() {
            return inner.nodeId();
        }
    }

    /** The same hub on a log that applies appends only when told, as a cluster's does. */
    @Nested
    class InACluster {
        private final HeldLog log = new HeldLog();
        private final TestClients cluster = new TestClients(new HermesHub(TestClients.quietConfig().build(), log,
                TickSource.local(0), LogGate.unbounded(), HermesMetrics.NOOP));
        private final TestClient x = cluster.connect();
        private final TestClient y = cluster.connect();

        InACluster() {
            log.applyHeld();
            cluster.drainAll();
        }

        @AfterEach
        void release() {
            cluster.close();
        }

        @Test
        void byeWaitsUntilTheLeaveIsApplied() {
            x.send("/quit");
            assertEquals(List.of(), x.lines(), "no BYE before the leave is applied: a client connecting now could find the slot taken");
            assertTrue(x.isOpen());
            log.applyHeld();
            assertEquals(List.of("BYE Goodbye"), x.lines());
            assertFalse(x.isOpen());
            assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0"), y.lines());
            assertEquals(1, cluster.hub().clientCount());
        }

        @Test
        void cutOffFromItsStoreByeComesAfterTheWaitAndTheLeaveStaysQueued() {
            x.send("/quit");
            x.advance(4_999, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), x.lines());
            x.advance(1, TimeUnit.MILLISECONDS);
            assertEquals(List.of("BYE Goodbye"), x.lines());
            assertFalse(x.isOpen());
            assertEquals(2, cluster.hub().clientCount(), "the leave is not applied yet");
            log.applyHeld();
            assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0"), y.lines());
            assertEquals(1, cluster.hub().clientCount());
        }
    }
}
