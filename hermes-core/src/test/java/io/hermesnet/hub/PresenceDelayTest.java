package io.hermesnet.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HermesConfig#presenceDelay}: presence lines wait in the batch for up to the delay, so the lines
 * of many joins share a flush; chat and direct answers never wait, and take waiting lines with them.
 */
class PresenceDelayTest {
    private final TestClients clients = new TestClients(TestClients.quietConfig()
            .presenceDelay(Duration.ofMillis(10)).build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void joinsWithinTheDelayShareOneFlush() {
        TestClient a = clients.connect();
        assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1"), a.lines(),
                "the newcomer's own lines go with its urgent WELCOME");
        clients.connect();
        clients.connect();
        assertEquals(List.of(), a.lines(), "presence waits for the delay");

        a.advance(9, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), a.lines());
        a.advance(1, TimeUnit.MILLISECONDS);

        assertEquals(List.of("JOIN 2 client2", "CLIENTS 2", "JOIN 3 client3", "CLIENTS 3"), a.lines());
    }

    @Test
    void chatFlushesAtOnceWithThePresenceLinesBeforeIt() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        a.advance(10, TimeUnit.MILLISECONDS);
        a.lines();
        b.lines();

        TestClient c = clients.connect();
        c.send("hello");

        assertEquals(List.of("JOIN 3 client3", "CLIENTS 3", "MSG 3 client3 hello"), a.lines(),
                "in order, without waiting for the delay");
    }

    @Test
    void leavesAndPromotionsWaitToo() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        a.advance(10, TimeUnit.MILLISECONDS);
        b.lines();

        a.disconnect();
        assertEquals(List.of(), b.lines());
        b.advance(10, TimeUnit.MILLISECONDS);

        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 1", "RANK 0"), b.lines());
    }
}
