package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ChatRelayHandler}: MSG to all but the sender, ECHO with --echo, sanitized text (docs/protocol.md §3.4). */
class ChatRelayHandlerTest {
    private TestClients clients = new TestClients(TestClients.quietConfig().build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void chatGoesToEveryoneButTheSender() {
        List<TestClient> all = clients.connect(3);
        clients.drainAll();
        all.get(1).send("hello all");
        assertEquals(List.of("MSG 2 client2 hello all"), all.get(0).lines());
        assertEquals(List.of("MSG 2 client2 hello all"), all.get(2).lines());
        assertEquals(List.of(), all.get(1).lines(), "no echo by default");
    }

    @Test
    void echoSendsTheLineBackToTheSender() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().echo(true).build());
        List<TestClient> all = clients.connect(2);
        clients.drainAll();
        all.get(0).send("me too");
        assertEquals(List.of("ECHO me too"), all.get(0).lines());
        assertEquals(List.of("MSG 1 client1 me too"), all.get(1).lines());
    }

    @Test
    void echoWorksForALoneClient() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().echo(true).build());
        TestClient a = clients.connect();
        a.lines();
        a.send("anyone?");
        assertEquals(List.of("ECHO anyone?"), a.lines());
    }

    @Test
    void controlCharactersAreStrippedKeepingTab() {
        List<TestClient> all = clients.connect(2);
        clients.drainAll();
        all.get(0).send("\u001b[2J\u001b[31mred\u001b[0m\tand\u0085 \u009bmore\u007f");
        assertEquals(List.of("MSG 1 client1 [2J[31mred[0m\tand more"), all.get(1).lines());
    }

    @Test
    void lineEmptyAfterSanitizingIsIgnored() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().echo(true).build());
        List<TestClient> all = clients.connect(2);
        clients.drainAll();
        all.get(0).send("\u001b\u0007\u009b");
        all.get(0).send("");
        all.get(0).send("   ");
        assertEquals(List.of(), all.get(0).lines());
        assertEquals(List.of(), all.get(1).lines());
    }

    @Test
    void textIsRelayedAsTyped() {
        List<TestClient> all = clients.connect(2);
        clients.drainAll();
        all.get(0).send("  spaced   out  ☃ 😀");
        assertEquals(List.of("MSG 1 client1   spaced   out  ☃ 😀"), all.get(1).lines());
    }

    @Test
    void leaverGetsNoMoreChat() {
        List<TestClient> all = clients.connect(3);
        all.get(2).disconnect();
        clients.drainAll();
        all.get(0).send("still here?");
        assertEquals(List.of("MSG 1 client1 still here?"), all.get(1).lines());
        assertEquals(List.of(), all.get(2).lines());
    }
}
