package io.hermesnet.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rooms (docs/protocol.md §3.7) without turns: assignment, READY/WAITING, refill, room-scoped chat, dropping. */
class RoomsTest {
    private TestClients clients = new TestClients(TestClients.quietConfig().roomSize(2).build());

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void firstArrivalWaitsSecondCompletesTheRoom() {
        TestClient a = clients.connect();
        assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1", "ROOM 1 WAITING"), a.lines());
        TestClient b = clients.connect();
        assertEquals(List.of("WELCOME 2 client2 1 Welcome to HermesNet!", "CLIENTS 2", "ROOM 1 READY client1 client2"),
                b.lines());
        assertEquals(List.of("JOIN 2 client2", "CLIENTS 2", "ROOM 1 READY client1 client2"), a.lines());
        assertEquals(1, clients.hub().roomCount());
    }

    @Test
    void thirdWaitsForTheFourthAndPresenceStaysServerWide() {
        List<TestClient> c = clients.connect(2);
        clients.drainAll();
        TestClient third = clients.connect();
        assertEquals(List.of("WELCOME 3 client3 2 Welcome to HermesNet!", "CLIENTS 3", "ROOM 2 WAITING"), third.lines());
        assertEquals(List.of("JOIN 3 client3", "CLIENTS 3"), c.get(0).lines(), "presence is server-wide, rooms are not");
        TestClient fourth = clients.connect();
        assertEquals(List.of("WELCOME 4 client4 3 Welcome to HermesNet!", "CLIENTS 4", "ROOM 2 READY client3 client4"),
                fourth.lines());
        assertEquals(List.of("JOIN 4 client4", "CLIENTS 4", "ROOM 2 READY client3 client4"), third.lines());
        assertEquals(List.of("JOIN 3 client3", "CLIENTS 3", "JOIN 4 client4", "CLIENTS 4"), c.get(1).lines());
        assertEquals(2, clients.hub().roomCount());
    }

    @Test
    void chatStaysInsideTheRoom() {
        List<TestClient> c = clients.connect(4);
        clients.drainAll();
        c.get(0).send("room one");
        assertEquals(List.of("MSG 1 client1 room one"), c.get(1).lines());
        assertEquals(List.of(), c.get(2).lines());
        assertEquals(List.of(), c.get(3).lines());
        c.get(3).send("room two");
        assertEquals(List.of("MSG 4 client4 room two"), c.get(2).lines());
        assertEquals(List.of(), c.get(0).lines());
    }

    @Test
    void chatInAnIncompleteRoomIsNotReady() {
        TestClient a = clients.connect();
        a.lines();
        a.send("anyone?");
        assertEquals(List.of("ERROR NOT_READY room 1 is waiting for more members"), a.lines());
    }

    @Test
    void leaverPutsTheRoomBackToWaitingAndTheNextArrivalFillsIt() {
        List<TestClient> c = clients.connect(4);
        clients.drainAll();
        c.get(0).disconnect();
        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 3", "RANK 0", "ROOM 1 WAITING"), c.get(1).lines());
        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 3", "RANK 1"), c.get(2).lines());
        c.get(1).send("hello?");
        assertEquals(List.of("ERROR NOT_READY room 1 is waiting for more members"), c.get(1).lines());

        TestClient e = clients.connect();
        assertEquals(List.of("WELCOME 5 client5 3 Welcome to HermesNet!", "CLIENTS 4", "ROOM 1 READY client2 client5"),
                e.lines(), "the oldest incomplete room is filled first");
        assertEquals(List.of("JOIN 5 client5", "CLIENTS 4", "ROOM 1 READY client2 client5"), c.get(1).lines());
        assertEquals(List.of("JOIN 5 client5", "CLIENTS 4"), c.get(2).lines());
    }

    @Test
    void oldestIncompleteRoomIsFilledFirst() {
        List<TestClient> c = clients.connect(6); // rooms 1, 2, 3
        c.get(4).disconnect(); // room 3 incomplete
        c.get(0).disconnect(); // room 1 incomplete
        clients.drainAll();
        TestClient g = clients.connect();
        assertEquals("ROOM 1 READY client2 client7", g.lines().get(2));
        TestClient h = clients.connect();
        assertEquals("ROOM 3 READY client6 client8", h.lines().get(2));
        TestClient i = clients.connect();
        assertEquals("ROOM 4 WAITING", i.lines().get(2), "a new room once all are full");
    }

    @Test
    void emptyRoomIsDropped() {
        List<TestClient> c = clients.connect(3);
        assertEquals(2, clients.hub().roomCount());
        c.get(2).disconnect();
        assertEquals(1, clients.hub().roomCount());
        c.get(0).disconnect();
        c.get(1).disconnect();
        assertEquals(0, clients.hub().roomCount());
        TestClient d = clients.connect();
        assertEquals("ROOM 3 WAITING", d.lines().get(2), "room ids are not reused");
    }

    @Test
    void leavingAnIncompleteRoomSendsNoRoomLines() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().roomSize(3).build());
        List<TestClient> c = clients.connect(2);
        clients.drainAll();
        c.get(1).disconnect();
        assertEquals(List.of("LEAVE 2 client2 closed", "CLIENTS 1"), c.get(0).lines());
    }

    @Test
    void roomsOfThree() {
        clients.close();
        clients = new TestClients(TestClients.quietConfig().roomSize(3).build());
        List<TestClient> c = clients.connect(2);
        assertEquals("ROOM 1 WAITING", c.get(1).lines().get(2));
        c.get(0).lines();
        c.get(1).send("too early");
        assertEquals(List.of("ERROR NOT_READY room 1 is waiting for more members"), c.get(1).lines());
        TestClient third = clients.connect();
        assertEquals("ROOM 1 READY client1 client2 client3", third.lines().get(2));
        assertEquals(List.of("JOIN 3 client3", "CLIENTS 3", "ROOM 1 READY client1 client2 client3"), c.get(0).lines());
        c.get(1).lines();
        c.get(1).send("now");
        assertEquals(List.of("MSG 2 client2 now"), c.get(0).lines());
        assertEquals(List.of("MSG 2 client2 now"), third.lines());
        assertEquals(List.of(), c.get(1).lines());
        TestClient fourth = clients.connect();
        assertEquals("ROOM 2 WAITING", fourth.lines().get(2));
        clients.drainAll();
        c.get(0).disconnect();
        assertEquals(List.of("LEAVE 1 client1 closed", "CLIENTS 3", "RANK 1", "ROOM 1 WAITING"), third.lines());
        TestClient fifth = clients.connect();
        assertEquals("ROOM 1 READY client2 client3 client5", fifth.lines().get(2));
    }

    @Test
    void readyNamesAreTheCurrentNames() {
        TestClient a = clients.connect();
        a.send("/nick alice");
        TestClient b = clients.connect();
        assertEquals("ROOM 1 READY alice client2", b.lines().get(2));
    }

    @Test
    void whoShowsRoomIds() {
        List<TestClient> c = clients.connect(3);
        clients.drainAll();
        c.get(2).send("/who");
        assertEquals(List.of("WHO 1 client1 0 1 embedded", "WHO 2 client2 1 1 embedded", "WHO 3 client3 2 2 embedded",
                "END WHO 3"), c.get(2).lines());
    }
}
