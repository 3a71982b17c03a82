package io.hermesnet.handler;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link NickHandler}: {@code /nick} per docs/protocol.md §2. */
class NickHandlerTest {
    private static final String NICK_USAGE = "ERROR BAD_ARGS usage: /nick <name> (1-32 of A-Z a-z 0-9 _ -)";

    private final TestClients clients = new TestClients(TestClients.quietConfig().build());
    private final TestClient a = clients.connect();
    private final TestClient b = clients.connect();

    NickHandlerTest() {
        clients.drainAll();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void nameToTheClientRenameToTheOthers() {
        a.send("/nick alice");
        assertEquals(List.of("NAME alice"), a.lines());
        assertEquals(List.of("RENAME 1 client1 alice"), b.lines());
        b.send("hi");
        assertEquals(List.of("MSG 2 client2 hi"), a.lines());
        a.send("hello");
        assertEquals(List.of("MSG 1 alice hello"), b.lines(), "the new name is used from now on");
    }

    @Test
    void nameTakenIgnoringCase() {
        a.send("/nick alice");
        clients.drainAll();
        b.send("/nick ALICE");
        assertEquals(List.of("ERROR NAME_TAKEN name ALICE is in use"), b.lines());
        assertEquals(List.of(), a.lines());
        b.send("hi");
        assertEquals(List.of("MSG 2 client2 hi"), a.lines(), "b kept its name");
    }

    @Test
    void changingTheCaseOfOnesOwnNameIsAllowed() {
        a.send("/nick alice");
        clients.drainAll();
        a.send("/nick Alice");
        assertEquals(List.of("NAME Alice"), a.lines());
        assertEquals(List.of("RENAME 1 alice Alice"), b.lines());
    }

    @Test
    void sameNameAgainIsConfirmedWithoutRename() {
        a.send("/nick alice");
        clients.drainAll();
        a.send("/nick alice");
        assertEquals(List.of("NAME alice"), a.lines());
        assertEquals(List.of(), b.lines());
    }

    @Test
    void oldNameIsFreed() {
        a.send("/nick alice");
        a.send("/nick anna");
        clients.drainAll();
        b.send("/nick alice");
        assertEquals(List.of("NAME alice"), b.lines());
        assertEquals(List.of("RENAME 2 client2 alice"), a.lines());
    }

    @Test
    void nameOfALeaverIsFreed() {
        a.send("/nick alice");
        a.disconnect();
        clients.drainAll();
        b.send("/nick alice");
        assertEquals(List.of("NAME alice"), b.lines());
    }

    @Test
    void invalidNamesAreBadArgs() {
        for (String bad : List.of("/nick", "/nick two words", "/nick bad!", "/nick " + "x".repeat(33))) {
            a.send(bad);
            assertEquals(List.of(NICK_USAGE), a.lines(), bad);
        }
        assertEquals(List.of(), b.lines());
    }

    @Test
    void defaultNamesAreReserved() {
        a.send("/nick client2");
        assertEquals(List.of("ERROR BAD_ARGS names of the form client<digits> are reserved"), a.lines());
        a.send("/nick CLIENT99");
        assertEquals(List.of("ERROR BAD_ARGS names of the form client<digits> are reserved"), a.lines());
        assertEquals(List.of(), b.lines());
    }

    @Test
    void whoShowsTheNewName() {
        a.send("/nick alice");
        clients.drainAll();
        b.send("/who");
        assertEquals(List.of("WHO 1 alice 0 - embedded", "WHO 2 client2 1 - embedded", "END WHO 2"), b.lines());
    }
}
