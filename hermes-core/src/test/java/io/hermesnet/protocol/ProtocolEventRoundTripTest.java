package io.hermesnet.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ProtocolFormatter} and {@link ProtocolParser#parseEvent}: every server line of docs/protocol.md §2, both ways. */
class ProtocolEventRoundTripTest {
    private static final long MAX_ID = 4_294_967_295L;

    /** One or more samples of every event type, with the exact wire line each must produce. */
    static Stream<Object[]> samples() {
        List<Object[]> s = new ArrayList<>();
        add(s, new ServerEvent.Welcome(3, "client3", 2, "Welcome to HermesNet!"), "WELCOME 3 client3 2 Welcome to HermesNet!");
        add(s, new ServerEvent.Welcome(1, "bob", 0, ""), "WELCOME 1 bob 0");
        add(s, new ServerEvent.IdTick(0), "ID 0");
        add(s, new ServerEvent.IdTick(MAX_ID), "ID 4294967295");
        add(s, new ServerEvent.IdTick(12345), "ID 12345");
        add(s, new ServerEvent.Clients(0), "CLIENTS 0");
        add(s, new ServerEvent.Clients(6), "CLIENTS 6");
        add(s, new ServerEvent.Join(7, "alice"), "JOIN 7 alice");
        for (LeaveReason r : LeaveReason.values()) {
            add(s, new ServerEvent.Leave(7, "alice", r), "LEAVE 7 alice " + r.name().toLowerCase());
        }
        add(s, new ServerEvent.Msg(2, "bob", "hello there"), "MSG 2 bob hello there");
        add(s, new ServerEvent.Msg(2, "bob", ""), "MSG 2 bob");
        add(s, new ServerEvent.Msg(2, "bob", "  two leading, trailing  "), "MSG 2 bob   two leading, trailing  ");
        add(s, new ServerEvent.Msg(2, "bob", "tab\there ☃ 😀"), "MSG 2 bob tab\there ☃ 😀");
        add(s, new ServerEvent.Dm(2, "bob", "just for you"), "DM 2 bob just for you");
        add(s, new ServerEvent.Echo("me too"), "ECHO me too");
        add(s, new ServerEvent.Echo(""), "ECHO");
        add(s, new ServerEvent.Echo(" x"), "ECHO  x");
        add(s, new ServerEvent.Rank(0), "RANK 0");
        add(s, new ServerEvent.Rank(5), "RANK 5");
        add(s, new ServerEvent.Name("bob_2"), "NAME bob_2");
        add(s, new ServerEvent.Rename(4, "client4", "Zed-1"), "RENAME 4 client4 Zed-1");
        add(s, new ServerEvent.WhoEntry(1, "client1", 0, ServerEvent.WhoEntry.NO_ROOM, "127.0.0.1:5000"),
                "WHO 1 client1 0 - 127.0.0.1:5000");
        add(s, new ServerEvent.WhoEntry(9, "x", 3, 4, "[::1]:1"), "WHO 9 x 3 4 [::1]:1");
        add(s, new ServerEvent.WhoEnd(0), "END WHO 0");
        add(s, new ServerEvent.WhoEnd(3), "END WHO 3");
        add(s, new ServerEvent.ExecRequest(11, 0, "boss", "echo hi there"), "EXEC 11 0 boss echo hi there");
        add(s, new ServerEvent.ExecRequest(11, 0, "boss", ""), "EXEC 11 0 boss");
        add(s, new ServerEvent.ExecAccepted(11, 2, "worker"), "OK EXEC 11 2 worker");
        add(s, new ServerEvent.ExecResult(11, "worker", "hi there"), "RESULT 11 worker hi there");
        add(s, new ServerEvent.ExecResult(11, "worker", ""), "RESULT 11 worker");
        add(s, new ServerEvent.RoomWaiting(1), "ROOM 1 WAITING");
        add(s, new ServerEvent.RoomReady(2, List.of("solo")), "ROOM 2 READY solo");
        add(s, new ServerEvent.RoomReady(2, List.of("a", "b")), "ROOM 2 READY a b");
        add(s, new ServerEvent.RoomReady(3, List.of("a", "b", "c", "d")), "ROOM 3 READY a b c d");
        add(s, new ServerEvent.HelpEntry("/who", "list connected clients"), "HELP /who list connected clients");
        add(s, new ServerEvent.HelpEnd(9), "END HELP 9");
        add(s, new ServerEvent.Turn(true), "TURN WRITE");
        add(s, new ServerEvent.Turn(false), "TURN READ");
        for (ErrorCode c : ErrorCode.values()) {
            add(s, new ServerEvent.Error(c, "some text here"), "ERROR " + c.name() + " some text here");
            add(s, new ServerEvent.Error(c, ""), "ERROR " + c.name());
        }
        add(s, new ServerEvent.Bye("Goodbye"), "BYE Goodbye");
        add(s, new ServerEvent.Bye("THE SERVER WILL DISCONNECT"), "BYE THE SERVER WILL DISCONNECT");
        add(s, new ServerEvent.Bye(""), "BYE");
        add(s, new ServerEvent.Unparsed("HELLO from the future"), "HELLO from the future");
        return s.stream();
    }

    private static void add(List<Object[]> s, ServerEvent event, String line) {
        s.add(new Object[] {event, line});
    }

    @ParameterizedTest
    @MethodSource("samples")
    void formatsTheWireLineAndParsesItBack(ServerEvent event, String line) {
        assertEquals(line, ProtocolFormatter.format(event));
        assertEquals(event, ProtocolParser.parseEvent(line));
    }

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> covered = new HashSet<>();
        samples().forEach(s -> covered.add(s[0].getClass()));
        for (Class<?> type : ServerEvent.class.getPermittedSubclasses()) {
            assertEquals(true, covered.contains(type), "no round-trip sample for " + type.getSimpleName());
        }
        Set<ErrorCode> codes = EnumSet.noneOf(ErrorCode.class);
        samples().filter(s -> s[0] instanceof ServerEvent.Error).forEach(s -> codes.add(((ServerEvent.Error) s[0]).code()));
        assertEquals(EnumSet.allOf(ErrorCode.class), codes);
    }

    @Test
    void aMissingFreeTextSeparatorStillParses() {
        // "MSG 2 bob " and "MSG 2 bob" both carry an empty text
        assertEquals(new ServerEvent.Msg(2, "bob", ""), ProtocolParser.parseEvent("MSG 2 bob "));
        assertEquals(new ServerEvent.Error(ErrorCode.FULL, ""), ProtocolParser.parseEvent("ERROR FULL "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "HELLO", "hello world", "msg 1 bob hi", "Id 3", "ID", "ID ", "ID x", "ID -1",
        "ID 4294967296", "ID 1 2", "ID  1", "CLIENTS", "CLIENTS -1", "CLIENTS 99999999999", "JOIN", "JOIN 1",
        "JOIN 1 a b", "JOIN  1 a", "JOIN x a", "LEAVE 1 a", "LEAVE 1 a bogus", "LEAVE 1 a closed x",
        "MSG", "MSG 1", "MSG x bob hi", "MSG  bob hi", "WELCOME", "WELCOME 1 bob", "WELCOME 1 bob x text",
        "RANK", "RANK -1", "RANK one", "NAME", "NAME a b", "RENAME 1 a", "WHO 1 a 0 -", "WHO 1 a 0 x addr",
        "WHO 1 a 0 - addr extra", "END", "END WHO", "END FOO 1", "END WHO x", "EXEC", "EXEC 1", "EXEC x 0 a cmd",
        "OK", "OK EXEC 1 2", "OK FOO 1 2 a", "RESULT", "RESULT 1", "ROOM", "ROOM 1", "ROOM 1 FOO", "ROOM x WAITING",
        "ROOM 1 WAITING x", "ROOM 1 READY", "TURN", "TURN write", "TURN SIDEWAYS", "TURN WRITE NOW", "ERROR",
        "ERROR NOPE text", "ERROR full text", "BYEBYE", "\u001b[2J"})
    void garbageIsUnparsedAndKeptWhole(String line) {
        ServerEvent e = ProtocolParser.parseEvent(line);
        ServerEvent.Unparsed u = assertInstanceOf(ServerEvent.Unparsed.class, e, line);
        assertEquals(line, u.line());
    }

    @Test
    void idTickRejectsValuesOutsideUnsigned32Bits() {
        assertThrows(IllegalArgumentException.class, () -> new ServerEvent.IdTick(-1));
        assertThrows(IllegalArgumentException.class, () -> new ServerEvent.IdTick(MAX_ID + 1));
    }

    @Test
    void roomReadyCopiesItsNames() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        ServerEvent.RoomReady r = new ServerEvent.RoomReady(1, names);
        names.add("c");
        assertEquals(List.of("a", "b"), r.names());
        assertThrows(UnsupportedOperationException.class, () -> r.names().add("d"));
    }

    @Test
    void leaveReasonWireWords() {
        for (LeaveReason r : LeaveReason.values()) {
            assertEquals(r, LeaveReason.fromWire(r.wire()));
            assertFalse(r.wire().chars().anyMatch(Character::isUpperCase));
        }
        assertEquals(List.of("logout", "closed", "idle", "sendq", "error", "node"),
                Stream.of(LeaveReason.values()).map(LeaveReason::wire).toList());
        assertThrows(IllegalArgumentException.class, () -> LeaveReason.fromWire("bogus"));
    }
}
