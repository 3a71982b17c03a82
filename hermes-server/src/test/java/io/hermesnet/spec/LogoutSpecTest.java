package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md §2 {@code BYE}, {@code /logout}, {@code /quit} and §3.8 Logout, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class LogoutSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.withDefaults();

    @ParameterizedTest
    @ValueSource(strings = {"/logout", "/quit", "logout", "exit", "quit", "EXIT", "Quit", "/LOGOUT", "/Quit", " quit "})
    void everyLogoutFormGetsByeGoodbyeThenEof(String form) {
        List<LineClient> ab = Clients.join(server, 2);
        LineClient a = ab.get(0);
        a.send(form);
        assertEquals(List.of("BYE Goodbye"), a.awaitClosed());
        List<String> transcript = a.transcript();
        assertEquals("BYE Goodbye", transcript.get(transcript.size() - 1), "BYE is the last line");
        ab.get(1).expectLine("LEAVE 1 client1 logout");
    }

    @Test
    void logoutWithCrlfWorksToo() {
        LineClient a = server.join();
        a.sendRaw("logout\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(List.of("CLIENTS 1", "BYE Goodbye"), a.awaitClosed());
    }

    @AcrossTopologies
    void quitNowIsChat() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("quit now");
        ab.get(1).expectLine("MSG 1 client1 quit now");
        ab.get(0).send("exit stage left");
        ab.get(1).expectLine("MSG 1 client1 exit stage left");
        ab.get(0).expectNoMore(); // still connected, no BYE
    }
}
