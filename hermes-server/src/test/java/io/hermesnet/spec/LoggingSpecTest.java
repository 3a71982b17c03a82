package io.hermesnet.spec;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §3.10 Logging: the categories (log4j Markers) and what each line tells, for a server driven over
 * real sockets. The line layout itself belongs to the apps' log4j2.xml and is tested there.
 */
@Timeout(10)
class LoggingSpecTest {
    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.withDefaults();

    private LogCapture log;

    @BeforeEach
    void capture() {
        log = new LogCapture(Level.DEBUG); // TX lines are DEBUG
    }

    @AfterEach
    void release() {
        log.close();
    }

    private static void assertLogged(List<String> messages, String expected) {
        assertTrue(messages.contains(expected), "expected \"" + expected + "\" in " + messages);
    }

    @Test
    void stateRecordsStartConnectRejectDisconnectAndShutdown() {
        server.configure(c -> c.maxClients(1));
        int port = server.port();
        assertLogged(log.messages("STATE"), "Listening on 127.0.0.1:" + port + " (nio, max 1 clients)");
        LineClient a = server.join();
        a.sync();
        assertLogged(log.messages("STATE"), "Client 1 connected from " + a.localAddress() + " (1 clients)");
        LineClient refused = server.client();
        refused.awaitClosed();
        assertLogged(log.messages("STATE"), "Rejected " + refused.localAddress() + ": server is full (1/1)");
        a.send("/logout");
        a.awaitClosed();
        assertLogged(log.messages("STATE"), "Client 1 (client1) disconnected: logout (0 clients)");
        LineClient b = server.join();
        b.sync();
        server.server().close();
        b.awaitClosed();
        List<String> state = log.messages("STATE");
        assertTrue(state.stream().anyMatch(m -> m.startsWith("Shutdown")), state.toString());
        assertTrue(log.withMarker("STATE").stream().allMatch(l -> l.level().isMoreSpecificThan(Level.INFO)));
    }

    @Test
    void receivedLinesAreRxSentLinesTxAndEveryRelayIsBroadcast() {
        List<LineClient> abc = Clients.join(server, 3);
        abc.get(0).send("hello all");
        abc.get(0).sync(); // the chat line has been handled completely
        assertLogged(log.messages("RX"), "[Client 1] hello all");
        assertLogged(log.messages("BROADCAST"), "Broadcasting to 2 clients");
        assertLogged(log.messages("TX"), "[Client 2] MSG 1 client1 hello all");
        assertTrue(log.withMarker("RX").stream().allMatch(l -> l.level() == Level.INFO));
    }

    @Test
    void everyExecIsLoggedWithIssuerTargetCommandAndOutcome() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("/exec 1 echo hi");
        ab.get(1).await("EXEC \\d+ 0 client1 echo hi");
        ab.get(1).send("/exec 0 echo up");
        ab.get(1).sync();
        List<String> exec = log.messages("EXEC");
        assertEquals(2, exec.size(), exec.toString());
        String allowed = exec.get(0);
        assertTrue(allowed.contains("client1") && allowed.contains("client2") && allowed.contains("echo hi")
                && allowed.contains("allowed"), allowed);
        String refused = exec.get(1);
        assertTrue(refused.contains("client2") && refused.contains("rank 0") && refused.contains("echo up")
                && refused.contains("FORBIDDEN"), refused);
    }

    @Test
    void quietDropsRxTxAndBroadcastButKeepsStateAndExec() {
        server.configure(c -> c.quiet(true));
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).send("hello");
        ab.get(1).await("MSG 1 client1 hello");
        ab.get(0).send("/exec 1 echo");
        ab.get(0).await("OK EXEC \\d+ 1 client2");
        ab.get(0).sync();
        assertEquals(List.of(), log.withMarker("RX"));
        assertEquals(List.of(), log.withMarker("TX"));
        assertEquals(List.of(), log.withMarker("BROADCAST"));
        assertLogged(log.messages("STATE"), "Client 2 connected from " + ab.get(1).localAddress() + " (2 clients)");
        assertEquals(1, log.withMarker("EXEC").size());
    }
}
