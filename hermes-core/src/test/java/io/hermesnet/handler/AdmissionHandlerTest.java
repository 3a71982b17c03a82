package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AdmissionHandler}: WELCOME first, presence lines, ERROR FULL and close, ids never reused (docs/protocol.md §3.1, §3.3). */
class AdmissionHandlerTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().maxClients(2).build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void welcomeIsTheFirstLineAndCarriesIdNameRankAndText() {
        TestClient a = clients.connect();
        assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1"), a.lines());
        assertTrue(a.isOpen());
    }

    @Test
    void joinGoesToTheOthersAndClientsToEveryone() {
        TestClient a = clients.connect();
        a.lines();
        TestClient b = clients.connect();
        assertEquals(List.of("WELCOME 2 client2 1 Welcome to HermesNet!", "CLIENTS 2"), b.lines());
        assertEquals(List.of("JOIN 2 client2", "CLIENTS 2"), a.lines());
    }

    @Test
    void leaveGoesToTheOthersExactlyOnceWithReasonClosed() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        b.disconnect();
        b.disconnect(); // a second close changes nothing
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 1"), a.lines());
        assertEquals(1, clients.hub().clientCount());
    }

    @Test
    void theEndOfInputIsAnsweredFlushedThenClosedWithReasonClosed() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        b.send("/rank");
        b.channel().pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        b.channel().runPendingTasks();
        assertEquals(List.of("RANK 1"), b.lines()); // answered before the close
        assertTrue(!b.isOpen(), "closed after the answer was flushed");
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 1"), a.lines());
    }

    @Test
    void overTheLimitGetsErrorFullAndIsClosedWithoutTakingAnId() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();

        TestClient refused = clients.connect();
        assertEquals(List.of("ERROR FULL server is full (2/2)"), refused.lines());
        assertFalse(refused.isOpen());
        assertNull(refused.session());
        assertEquals(List.of(), a.lines(), "a refused connection is not announced");
        assertEquals(List.of(), b.lines());
        assertEquals(2, clients.hub().clientCount());

        a.disconnect();
        TestClient c = clients.connect();
        assertEquals("WELCOME 3 client3 1 Welcome to HermesNet!", c.lines().get(0), "the refused connection took no id");
    }

    @Test
    void perIpLimitRefusesWithTheIp() {
        clients.close();
        TestClients perIp = new TestClients(TestClients.quietConfig().maxClients(10).maxPerIp(1).build());
        try {
            TestClient a = perIp.connect();
            a.lines();
            // every EmbeddedChannel has the same remote address, which prints as "embedded"
            TestClient second = perIp.connect();
            assertEquals(List.of("ERROR FULL too many connections from embedded"), second.lines());
            assertFalse(second.isOpen());
            assertEquals(List.of(), a.lines());
            a.disconnect();
            TestClient third = perIp.connect();
            assertEquals("WELCOME 2 client2 0 Welcome to HermesNet!", third.lines().get(0), "the slot is free again");
        } finally {
            perIp.close();
        }
    }

    @Test
    void idsAreNeverReused() {
        TestClient a = clients.connect();
        a.disconnect();
        TestClient b = clients.connect();
        b.disconnect();
        TestClient c = clients.connect();
        assertEquals("WELCOME 3 client3 0 Welcome to HermesNet!", c.lines().get(0));
    }

    @Test
    void noOneIsAdmittedOnceShutdownHasBegun() {
        TestClient a = clients.connect();
        clients.hub().shutdown("Thank you");
        TestClient late = clients.connect();
        assertEquals(List.of("ERROR FULL server is shutting down"), late.lines());
        assertFalse(late.isOpen());
        assertFalse(a.isOpen());
    }
}
