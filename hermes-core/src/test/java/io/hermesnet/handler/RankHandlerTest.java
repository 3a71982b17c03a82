package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RankHandler}: {@code /rank}, and the promotion pushes of docs/protocol.md §3.5. */
class RankHandlerTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void rankAnswersTheCurrentRankOnlyToTheAsker() {
        List<TestClient> all = clients.connect(3);
        clients.drainAll();
        all.get(2).send("/rank");
        assertEquals(List.of("RANK 2"), all.get(2).lines());
        all.get(0).send("/RANK");
        assertEquals(List.of("RANK 0"), all.get(0).lines());
        assertEquals(List.of(), all.get(1).lines());
    }

    @Test
    void welcomeCarriesTheRank() {
        List<TestClient> all = clients.connect(3);
        assertEquals("WELCOME 3 client3 2 Welcome to HermesNet!", all.get(2).lines().get(0));
    }

    @Test
    void clientsBelowALeaverArePromotedByOne() {
        List<TestClient> all = clients.connect(4);
        clients.drainAll();
        all.get(1).disconnect();
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 3"), all.get(0).lines(), "no RANK for those above");
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 3", "RANK 1"), all.get(2).lines());
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 3", "RANK 2"), all.get(3).lines());
        all.get(3).send("/rank");
        assertEquals(List.of("RANK 2"), all.get(3).lines());
    }

    @Test
    void lastClientLeavingPromotesNoOne() {
        List<TestClient> all = clients.connect(3);
        clients.drainAll();
        all.get(2).disconnect();
        assertEquals(List.of("LEAVE 3 client3 closed", "CLIENTS 2"), all.get(0).lines());
        assertEquals(List.of("LEAVE 3 client3 closed", "CLIENTS 2"), all.get(1).lines());
    }

    @Test
    void newcomerTakesTheLowestRank() {
        List<TestClient> all = clients.connect(2);
        all.get(0).disconnect();
        TestClient c = clients.connect();
        assertEquals("WELCOME 3 client3 1 Welcome to HermesNet!", c.lines().get(0));
    }
}
