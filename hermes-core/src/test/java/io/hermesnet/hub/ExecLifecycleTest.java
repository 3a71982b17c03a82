package io.hermesnet.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pending EXECs end with their RESULT, or when the issuer or the target leaves (docs/protocol.md §3.6). */
class ExecLifecycleTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().build());
    private final List<TestClient> c = clients.connect(3);

    ExecLifecycleTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void issuerLeavingDropsItsPendingExecs() {
        c.get(0).send("/exec 1 one");
        c.get(0).send("/exec 2 two");
        c.get(1).send("/exec 2 three");
        assertEquals(3, clients.hub().pendingExecCount());
        clients.drainAll();

        c.get(0).disconnect();
        assertEquals(1, clients.hub().pendingExecCount(), "only EXEC 3, whose issuer is still here, is pending");
        clients.drainAll();
        c.get(2).send("/result 2 too late");
        assertEquals(List.of("ERROR NO_SUCH_EXEC no pending EXEC 2 for you"), c.get(2).lines());
        c.get(2).send("/result 3 fine");
        assertEquals(List.of("RESULT 3 client3 fine"), c.get(1).lines());
        assertEquals(0, clients.hub().pendingExecCount());
    }

    @Test
    void targetLeavingEndsThePendingExecWithNoAnswer() {
        c.get(0).send("/exec 2 never answered");
        clients.drainAll();
        c.get(2).disconnect();
        assertEquals(0, clients.hub().pendingExecCount());
        // docs/protocol.md §3.6: the issuer learns at once that no answer will come, before the LEAVE
        assertEquals(List.of("ERROR NO_SUCH_EXEC 1 no answer", "LEAVE 3 client3 closed", "CLIENTS 2"), c.get(0).lines());
    }

    @Test
    void resultStillRoutesAfterTheTargetWasPromoted() {
        c.get(0).send("/exec 2 slow job");
        clients.drainAll();
        c.get(1).disconnect(); // client3 is promoted from rank 2 to rank 1
        clients.drainAll();
        c.get(2).send("/result 1 finished");
        assertEquals(List.of("RESULT 1 client3 finished"), c.get(0).lines());
    }

    @Test
    void resultUsesTheTargetsCurrentName() {
        c.get(0).send("/exec 1 whoami");
        c.get(1).send("/nick worker");
        clients.drainAll();
        c.get(1).send("/result 1 worker here");
        assertEquals(List.of("RESULT 1 worker worker here"), c.get(0).lines());
    }

    @Test
    void everythingIsEmptyAfterEveryoneLeaves() {
        c.get(0).send("/exec 1 x");
        for (TestClient x : c) {
            x.disconnect();
        }
        assertEquals(0, clients.hub().clientCount());
        assertEquals(0, clients.hub().pendingExecCount());
        assertEquals(0, clients.hub().roomCount());
        assertEquals(List.of(), clients.hub().sessions());
        TestClient again = clients.connect();
        assertEquals("WELCOME 4 client4 0 Welcome to HermesNet!", again.lines().get(0), "ranks start again at 0; ids go on");
        again.send("/nick client");
        assertEquals(List.of("NAME client"), again.lines());
    }
}
