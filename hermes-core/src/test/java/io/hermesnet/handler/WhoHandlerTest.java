package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link WhoHandler}: {@code WHO} rows in rank order, then {@code END WHO} (docs/protocol.md §2). */
class WhoHandlerTest {
    private TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void aloneSeesItself() {
        TestClient a = clients.connect();
        a.lines();
        a.send("/who");
        // EmbeddedChannel's remote address prints as "embedded"; a socket's as ip:port
        assertEquals(List.of("WHO 1 client1 0 - embedded", "END WHO 1"), a.lines());
    }

    @Test
    void everyClientInRankOrderAndOnlyToTheAsker() {
        List<TestClient> all = clients.connect(4);
        all.get(1).disconnect();
        clients.drainAll();
        all.get(3).send("/WHO");
        assertEquals(List.of("WHO 1 client1 0 - embedded", "WHO 3 client3 1 - embedded", "WHO 4 client4 2 - embedded",
                "END WHO 3"), all.get(3).lines());
        assertEquals(List.of(), all.get(0).lines());
    }

    @Test
    void roomsAreShownWhenOn() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().roomSize(2).build());
        List<TestClient> all = clients.connect(3);
        clients.drainAll();
        all.get(0).send("/who");
        assertEquals(List.of("WHO 1 client1 0 1 embedded", "WHO 2 client2 1 1 embedded", "WHO 3 client3 2 2 embedded",
                "END WHO 3"), all.get(0).lines());
    }
}
