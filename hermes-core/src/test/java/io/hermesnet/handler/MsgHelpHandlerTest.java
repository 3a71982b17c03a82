package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link MsgHandler} and {@link HelpHandler}: docs/protocol.md §2.5 {@code /msg} and {@code /help}. */
class MsgHelpHandlerTest {
    private TestClients clients = new TestClients(TestClients.quietConfig().build());
    private List<TestClient> c = clients.connect(3);

    MsgHelpHandlerTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void aPrivateLineReachesItsTargetOnlyByNameIgnoringCase() {
        c.get(1).send("/nick Bob");
        clients.drainAll();
        c.get(0).send("/msg bob \u001b[31mpsst");
        assertEquals(List.of("DM 1 client1 [31mpsst"), c.get(1).lines());
        assertEquals(List.of(), c.get(0).lines());
        assertEquals(List.of(), c.get(2).lines());
    }

    @Test
    void nobodyAndOneselfAreRefused() {
        c.get(0).send("/msg nobody hi");
        assertEquals(List.of("ERROR NO_SUCH_NAME no client named nobody"), c.get(0).lines());
        c.get(0).send("/msg CLIENT1 hi");
        assertEquals(List.of("ERROR BAD_ARGS that is you; /msg is for someone else"), c.get(0).lines());
        assertEquals(List.of(), c.get(1).lines());
    }

    @Test
    void withRoomsOnlyYourRoomCanBeReachedAndTurnsDoNotApply() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().roomSize(2).turns(true).build());
        c = clients.connect(3); // room 1: client1, client2; room 2: client3
        clients.drainAll();
        c.get(0).send("/msg client3 hi");
        assertEquals(List.of("ERROR NO_SUCH_NAME no client named client3 in your room"), c.get(0).lines());
        c.get(1).send("/msg client1 out of turn is fine"); // client2 holds TURN READ
        assertEquals(List.of("DM 2 client2 out of turn is fine"), c.get(0).lines());
    }

    @Test
    void helpListsEveryCommandThenItsCount() {
        c.get(0).send("/help");
        List<String> lines = c.get(0).lines();
        assertEquals("END HELP " + HelpHandler.ENTRIES.size(), lines.get(lines.size() - 1));
        assertEquals(HelpHandler.ENTRIES.size() + 1, lines.size());
        for (String verb : List.of("/nick", "/who", "/msg", "/rank", "/exec", "/result", "/logout", "/quit", "/help")) {
            assertEquals(1, lines.stream().filter(l -> l.startsWith("HELP " + verb + " ")).count(), verb);
        }
    }
}
