package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

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
}
