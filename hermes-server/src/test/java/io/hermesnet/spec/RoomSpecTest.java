package io.hermesnet.spec;

import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/** docs/protocol.md §2 {@code ROOM}, {@code TURN} and §3.7 Rooms and turns, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(10)
class RoomSpecTest {
    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.roomSize(2))
            .build();

    @AcrossTopologies
    void theFirstArrivalWaitsAndTheSecondCompletesTheRoom() {
        LineClient a = server.join();
        a.expectLine("CLIENTS 1");
        a.expectLine("ROOM 1 WAITING");
        LineClient b = server.join();
        b.expectLine("CLIENTS 2");
        b.expectLine("ROOM 1 READY client1 client2");
        a.expectLine("JOIN 2 client2");
        a.expectLine("CLIENTS 2");
        a.expectLine("ROOM 1 READY client1 client2");
        LineClient c = server.join();
        c.expectLine("CLIENTS 3");
        c.expectLine("ROOM 2 WAITING");
        Clients.expectNoMore(c);
        for (LineClient old : List.of(a, b)) {
            old.expectLine("JOIN 3 client3");
            old.expectLine("CLIENTS 3"); // presence stays server-wide, room lines do not
            old.expectNoMore();
        }
    }

    @Test
    void chatInAnIncompleteRoomIsNotReady() {
        LineClient a = server.join();
        Clients.settle(a);
        a.send("anyone?");
        a.expectNext("ERROR NOT_READY .+");
        a.expectNoMore();
    }

    @AcrossTopologies
    void chatStaysInsideTheRoom() {
        List<LineClient> all = Clients.join(server, 4); // rooms 1: a b, 2: c d
        all.get(0).send("in room one");
        all.get(1).expectLine("MSG 1 client1 in room one");
        all.get(3).send("in room two");
        all.get(2).expectLine("MSG 4 client4 in room two");
        for (LineClient c : all) {
            c.expectNoMore();
        }
    }

    @AcrossTopologies
    void whoShowsTheRooms() {
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        a.send("/who");
        a.expectLine("WHO 1 client1 0 1 " + a.localAddress());
        a.expectLine("WHO 2 client2 1 1 " + abc.get(1).localAddress());
        a.expectLine("WHO 3 client3 2 2 " + abc.get(2).localAddress());
        a.expectLine("END WHO 3");
    }

    @AcrossTopologies
    void aLeaversRoomWaitsAgainAndTheNextArrivalFillsIt() {
        List<LineClient> all = Clients.join(server, 4); // rooms 1: a b, 2: c d
        LineClient b = all.get(1);
        all.get(0).send("/logout");
        all.get(0).awaitClosed();
        b.expectLine("LEAVE 1 client1 logout");
        b.expectLine("CLIENTS 3");
        b.expectLine("RANK 0");
        b.expectLine("ROOM 1 WAITING");
        b.send("alone now");
        b.expectNext("ERROR NOT_READY .+");
        for (LineClient other : all.subList(2, 4)) {
            other.awaitLine("CLIENTS 3");
            other.awaitLine("RANK " + (all.indexOf(other) - 1));
            other.expectNoMore(); // no ROOM line for another room
        }
        LineClient e = server.join();
        e.expectLine("CLIENTS 4");
        e.expectLine("ROOM 1 READY client2 client5");
        b.expectLine("JOIN 5 client5");
        b.expectLine("CLIENTS 4");
        b.expectLine("ROOM 1 READY client2 client5");
        for (LineClient other : all.subList(2, 4)) {
            other.expectLine("JOIN 5 client5");
            other.expectLine("CLIENTS 4");
        }
        e.send("hello b");
        b.expectLine("MSG 5 client5 hello b");
        Clients.expectNoMore(all.get(2), all.get(3));
    }

    @AcrossTopologies
    void anEmptyRoomIsDropped() {
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).close();
        ab.get(1).awaitLine("ROOM 1 WAITING");
        ab.get(1).send("/quit");
        ab.get(1).awaitClosed(); // the server has processed the leave
        LineClient c = server.join();
        c.expectLine("CLIENTS 1");
        c.expectLine("ROOM 2 WAITING"); // room 1 is gone, not reused
    }

    @AcrossTopologies
    void roomsOfThree() {
        server.configure(c -> c.roomSize(3));
        LineClient a = server.join();
        LineClient b = server.join();
        Clients.settle(a, b);
        a.send("too early");
        a.expectNext("ERROR NOT_READY .+");
        LineClient c = server.join();
        c.expectLine("CLIENTS 3");
        c.expectLine("ROOM 1 READY client1 client2 client3");
        a.awaitLine("ROOM 1 READY client1 client2 client3");
        b.awaitLine("ROOM 1 READY client1 client2 client3");
        LineClient d = server.join();
        d.expectLine("CLIENTS 4");
        d.expectLine("ROOM 2 WAITING");
        Clients.settle(a, b, c);
        b.send("three of us");
        a.expectLine("MSG 2 client2 three of us");
        c.expectLine("MSG 2 client2 three of us");
        Clients.expectNoMore(b, d); // d is in room 2
    }

    @AcrossTopologies
    void turnsAlternateInAPair() {
        server.configure(c -> c.turns(true));
        LineClient a = server.join();
        a.expectLine("CLIENTS 1");
        a.expectLine("ROOM 1 WAITING");
        LineClient b = server.join();
        b.expectLine("CLIENTS 2");
        b.expectLine("ROOM 1 READY client1 client2");
        b.expectLine("TURN READ");
        a.awaitLine("ROOM 1 READY client1 client2");
        a.expectLine("TURN WRITE");

        b.send("me first");
        b.expectNext("ERROR NOT_YOUR_TURN .+");
        a.expectNoMore();

        a.send("hello");
        b.expectLine("MSG 1 client1 hello");
        b.expectLine("TURN WRITE");
        a.expectLine("TURN READ");
        a.send("again");
        a.expectNext("ERROR NOT_YOUR_TURN .+");
        b.expectNoMore();

        b.send("hi back");
        a.expectLine("MSG 2 client2 hi back");
        a.expectLine("TURN WRITE");
        b.expectLine("TURN READ");
    }

    @AcrossTopologies
    void notReadyWinsOverNotYourTurnInAnIncompleteRoom() {
        server.configure(c -> c.turns(true));
        List<LineClient> ab = Clients.join(server, 2);
        ab.get(0).close();
        LineClient b = ab.get(1);
        b.awaitLine("ROOM 1 WAITING");
        b.send("hello?");
        b.expectNext("ERROR NOT_READY .+");
    }

    @AcrossTopologies
    void aLeavingTurnHolderPassesTheTurnOnWhoKeepsItWhenTheRoomIsReadyAgain() {
        server.configure(c -> c.roomSize(3).turns(true));
        List<LineClient> abc = Clients.join(server, 3);
        LineClient a = abc.get(0);
        LineClient b = abc.get(1);
        LineClient c = abc.get(2);
        a.send("to b");
        b.awaitLine("TURN WRITE"); // b holds the turn now
        Clients.settle(a, b, c);
        b.send("/quit");
        b.awaitClosed();
        for (LineClient x : List.of(a, c)) {
            x.awaitLine("ROOM 1 WAITING");
        }
        c.send("too early");
        c.expectNext("ERROR NOT_READY .+");
        LineClient d = server.join();
        d.expectLine("CLIENTS 3");
        d.expectLine("ROOM 1 READY client1 client3 client4");
        d.expectLine("TURN READ");
        a.awaitLine("ROOM 1 READY client1 client3 client4");
        a.expectLine("TURN READ");
        c.awaitLine("ROOM 1 READY client1 client3 client4");
        c.expectLine("TURN WRITE");
        a.send("not me");
        a.expectNext("ERROR NOT_YOUR_TURN .+");
        c.send("my turn");
        a.expectLine("MSG 3 client3 my turn");
        d.expectLine("MSG 3 client3 my turn");
        d.expectLine("TURN WRITE"); // next in join order after c
    }
}
