package io.hermesnet.hub;

import io.netty.channel.ChannelFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HermesHub#shutdown}: BYE to all as their last line, no admission, no LEAVE after BYE (docs/protocol.md §3.9). */
class ShutdownTest {
    private TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void everyClientGetsByeAsItsLastLineAndIsClosed() {
        List<TestClient> c = clients.connect(3);
        clients.drainAll();
        List<ChannelFuture> closes = clients.hub().shutdown("Thank you");
        assertEquals(3, closes.size());
        for (TestClient x : c) {
            assertEquals(List.of("BYE Thank you"), x.lines(), "BYE and no LEAVE, CLIENTS or RANK after it");
            assertFalse(x.isOpen());
        }
        for (ChannelFuture f : closes) {
            assertTrue(f.isDone());
        }
        assertTrue(clients.hub().isClosing());
        assertEquals(0, clients.hub().clientCount());
    }

    @Test
    void byeTextIsTheCallersText() {
        TestClient a = clients.connect();
        a.lines();
        clients.hub().shutdown("THE SERVER WILL DISCONNECT");
        assertEquals(List.of("BYE THE SERVER WILL DISCONNECT"), a.lines());
    }

    @Test
    void closingStopsAdmission() {
        clients.connect();
        clients.hub().shutdown("Thank you");
        TestClient late = clients.connect();
        assertEquals(List.of("ERROR FULL server is shutting down"), late.lines());
        assertFalse(late.isOpen());
        assertEquals(0, clients.hub().clientCount());
    }

    @Test
    void noRoomLinesAfterBye() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().roomSize(2).turns(true).build());
        List<TestClient> c = clients.connect(3);
        c.get(0).send("/exec 2 pending");
        clients.drainAll();
        clients.hub().shutdown("Thank you");
        for (TestClient x : c) {
            assertEquals(List.of("BYE Thank you"), x.lines());
        }
        assertEquals(0, clients.hub().roomCount());
        assertEquals(0, clients.hub().pendingExecCount());
    }

    @Test
    void secondShutdownSendsNothingMore() {
        TestClient a = clients.connect();
        a.lines();
        clients.hub().shutdown("Thank you");
        a.lines();
        assertEquals(List.of(), clients.hub().shutdown("Thank you"));
        assertEquals(List.of(), a.lines());
    }

    @Test
    void shutdownWithNoClients() {
        assertEquals(List.of(), clients.hub().shutdown("Thank you"));
        assertTrue(clients.hub().isClosing());
    }
}
