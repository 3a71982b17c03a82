package io.hermesnet.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Turns (docs/protocol.md §3.7 {@code --turns}): half-duplex per room, passing in join order. */
class TurnsTest {
    private static final String NOT_YOUR_TURN = "ERROR NOT_YOUR_TURN wait for TURN WRITE";
    private static final String NOT_READY_1 = "ERROR NOT_READY room 1 is waiting for more members";

    private TestClients clients;

    private void rooms(int size) {
        clients = new TestClients(TestClients.quietConfig().roomSize(size).turns(true).build());
    }

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void earliestMemberWritesFirst() {
        rooms(2);
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1", "ROOM 1 WAITING", "JOIN 2 client2",
                "CLIENTS 2", "ROOM 1 READY client1 client2", "TURN WRITE"), a.lines());
        assertEquals(List.of("WELCOME 2 client2 1 Welcome to HermesNet!", "CLIENTS 2", "ROOM 1 READY client1 client2",
                "TURN READ"), b.lines());
    }

    @Test
    void eachChatPassesTheTurnAndOutOfTurnChatIsRefused() {
        rooms(2);
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();

        b.send("me first?");
        assertEquals(List.of(NOT_YOUR_TURN), b.lines());
        assertEquals(List.of(), a.lines());

        a.send("hello b");
        assertEquals(List.of("TURN READ"), a.lines());
        assertEquals(List.of("MSG 1 client1 hello b", "TURN WRITE"), b.lines());

        a.send("again?");
        assertEquals(List.of(NOT_YOUR_TURN), a.lines());
        assertEquals(List.of(), b.lines());

        b.send("hi a");
        assertEquals(List.of("MSG 2 client2 hi a", "TURN WRITE"), a.lines());
        assertEquals(List.of("TURN READ"), b.lines());
    }

    @Test
    void turnPassesInJoinOrderAndEveryoneGetsTheirTurnLine() {
        rooms(3);
        List<TestClient> c = clients.connect(3);
        clients.drainAll();
        for (int round = 0; round < 2; round++) {
            for (int w = 0; w < 3; w++) {
                TestClient writer = c.get(w);
                for (int other = 0; other < 3; other++) {
                    if (other != w) {
                        c.get(other).send("out of turn");
                        assertEquals(List.of(NOT_YOUR_TURN), c.get(other).lines());
                    }
                }
                writer.send("turn " + w);
                int next = (w + 1) % 3;
                for (int i = 0; i < 3; i++) {
                    String turn = i == next ? "TURN WRITE" : "TURN READ";
                    List<String> expected = i == w ? List.of(turn) : List.of("MSG " + (w + 1) + " client" + (w + 1) + " turn " + w, turn);
                    assertEquals(expected, c.get(i).lines(), "client" + (i + 1) + " after client" + (w + 1) + " wrote");
                }
            }
        }
    }

    @Test
    void notReadyWinsWhileTheRoomIsIncomplete() {
        rooms(3);
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        a.send("first member");
        assertEquals(List.of(NOT_READY_1), a.lines());
        b.send("second member");
        assertEquals(List.of(NOT_READY_1), b.lines());
    }

    @Test
    void leavingHolderPassesTheTurnToTheNextMemberWhoKeepsItWhenReadyAgain() {
        rooms(3);
        List<TestClient> c = clients.connect(3);
        clients.drainAll();
        c.get(0).send("pass to 2");
        clients.drainAll(); // client2 holds the turn

        c.get(1).disconnect();
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 2", "ROOM 1 WAITING"), c.get(0).lines());
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 2", "RANK 1", "ROOM 1 WAITING"), c.get(2).lines());
        c.get(2).send("my turn now?");
        assertEquals(List.of(NOT_READY_1), c.get(2).lines(), "NOT_READY wins while incomplete");

        TestClient d = clients.connect();
        assertEquals(List.of("WELCOME 4 client4 2 Welcome to HermesNet!", "CLIENTS 3", "ROOM 1 READY client1 client3 client4",
                "TURN READ"), d.lines());
        assertEquals(List.of("JOIN 4 client4", "CLIENTS 3", "ROOM 1 READY client1 client3 client4", "TURN READ"), c.get(0).lines());
        assertEquals(List.of("JOIN 4 client4", "CLIENTS 3", "ROOM 1 READY client1 client3 client4", "TURN WRITE"), c.get(2).lines(),
                "client3 was next after the leaver and keeps the turn");
        c.get(2).send("yes");
        assertEquals(List.of("MSG 3 client3 yes", "TURN WRITE"), d.lines());
    }

    @Test
    void lastMemberHoldingTheTurnWrapsToTheFirst() {
        rooms(2);
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        a.send("to b");
        clients.drainAll(); // b holds the turn
        b.disconnect();
        a.lines();
        TestClient c = clients.connect();
        assertEquals(List.of("JOIN 3 client3", "CLIENTS 2", "ROOM 1 READY client1 client3", "TURN WRITE"), a.lines());
        assertEquals(List.of("WELCOME 3 client3 1 Welcome to HermesNet!", "CLIENTS 2", "ROOM 1 READY client1 client3",
                "TURN READ"), c.lines());
    }

    @Test
    void nonHolderLeavingKeepsTheHolder() {
        rooms(2);
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll(); // a holds the turn
        b.disconnect();
        a.lines();
        TestClient c = clients.connect();
        assertEquals(List.of("JOIN 3 client3", "CLIENTS 2", "ROOM 1 READY client1 client3", "TURN WRITE"), a.lines());
        assertEquals("TURN READ", c.lines().get(3));
    }

    @Test
    void roomsTakeTurnsIndependently() {
        rooms(2);
        List<TestClient> c = clients.connect(4);
        clients.drainAll();
        c.get(2).send("room 2 starts");
        assertEquals(List.of("TURN READ"), c.get(2).lines());
        assertEquals(List.of("MSG 3 client3 room 2 starts", "TURN WRITE"), c.get(3).lines());
        assertEquals(List.of(), c.get(0).lines());
        c.get(0).send("room 1 unaffected");
        assertEquals(List.of("MSG 1 client1 room 1 unaffected", "TURN WRITE"), c.get(1).lines());
    }

    @Test
    void echoComesBeforeTheTurnLine() {
        clients = new TestClients(TestClients.quietConfig().roomSize(2).turns(true).echo(true).build());
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        a.send("hi");
        assertEquals(List.of("ECHO hi", "TURN READ"), a.lines());
        assertEquals(List.of("MSG 1 client1 hi", "TURN WRITE"), b.lines());
    }
}
