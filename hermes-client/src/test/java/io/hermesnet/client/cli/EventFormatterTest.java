package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ServerEvent;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the interactive console prints, as plain text (styles aside). */
class EventFormatterTest {
    private final EventFormatter f = new EventFormatter(Clock.fixed(Instant.parse("2025-01-15T10:30:45Z"), ZoneId.of("UTC")));

    private String show(ServerEvent e) {
        return f.format(e).toString();
    }

    @Test
    void chatShowsTimeAndSender() {
        assertEquals("10:30:45 <alice> Hello everyone!", show(new ServerEvent.Msg(1, "alice", "Hello everyone!")));
        assertEquals("10:30:45 (echo) me too", show(new ServerEvent.Echo("me too")));
    }

    @Test
    void ticksCountsTurnsAndExecRequestsPrintNothingOfTheirOwn() {
        assertNull(f.format(new ServerEvent.IdTick(42)));
        assertNull(f.format(new ServerEvent.Clients(3)));
        assertNull(f.format(new ServerEvent.Turn(true)));
        assertNull(f.format(new ServerEvent.ExecRequest(1, 0, "alice", "echo hi")), "shown with its answer instead");
    }

    @Test
    void presenceAndRankAreCompact() {
        assertEquals("10:30:45 --> bob joined", show(new ServerEvent.Join(2, "bob")));
        assertEquals("10:30:45 <-- bob left (idle)", show(new ServerEvent.Leave(2, "bob", LeaveReason.IDLE)));
        assertEquals("10:30:45 *** your rank is 0", show(new ServerEvent.Rank(0)));
        assertEquals("10:30:45 *** bob is now known as robert", show(new ServerEvent.Rename(2, "bob", "robert")));
        assertEquals("10:30:45 *** you are now alice", show(new ServerEvent.Name("alice")));
        assertEquals("10:30:45 *** connected as client3 (id 3, rank 2): Welcome to HermesNet!",
                show(new ServerEvent.Welcome(3, "client3", 2, "Welcome to HermesNet!")));
    }

    @Test
    void whoRowsLineUp() {
        assertEquals("10:30:45     rank 0   alice            id 1  127.0.0.1:5000",
                show(new ServerEvent.WhoEntry(1, "alice", 0, ServerEvent.WhoEntry.NO_ROOM, "127.0.0.1:5000")));
        assertEquals("10:30:45     rank 12  bob              id 7  10.0.0.2:6000  room 3",
                show(new ServerEvent.WhoEntry(7, "bob", 12, 3, "10.0.0.2:6000")));
        assertEquals("10:30:45 *** 2 clients connected", show(new ServerEvent.WhoEnd(2)));
    }

    @Test
    void execTrafficIsShownBothWays() {
        assertEquals("10:30:45 >>> exec 5 sent to bob (rank 2)", show(new ServerEvent.ExecAccepted(5, 2, "bob")));
        assertEquals("10:30:45 <<< bob answered exec 5: hi", show(new ServerEvent.ExecResult(5, "bob", "hi")));
        assertEquals("10:30:45 !!! alice (rank 0) ran here: echo hi  -> hi",
                f.execAnswered(new ServerEvent.ExecRequest(5, 0, "alice", "echo hi"), "hi").toString());
    }

    @Test
    void errorsRoomsAndByeAreNamed() {
        assertEquals("10:30:45 !!! NOT_YOUR_TURN: wait for your turn",
                show(new ServerEvent.Error(ErrorCode.NOT_YOUR_TURN, "wait for your turn")));
        assertEquals("10:30:45 *** room 1: waiting for more members", show(new ServerEvent.RoomWaiting(1)));
        assertEquals("10:30:45 *** room 1 is ready: alice, bob", show(new ServerEvent.RoomReady(1, List.of("alice", "bob"))));
        assertEquals("10:30:45 *** disconnected: Thank you", show(new ServerEvent.Bye("Thank you")));
    }

    @Test
    void unknownLinesAreShownWithoutTerminalControls() {
        assertEquals("10:30:45 HELLO [31mred", show(new ServerEvent.Unparsed("HELLO \u001b[31mred")));
    }

    @Test
    void sentLinesEchoLocallyAsTheServerReadsThem() {
        assertEquals("10:30:45 <bob> hi there", f.sent("hi there", "bob").toString());
        assertEquals("10:30:45 > /who", f.sent("/who", "bob").toString());
        assertEquals("10:30:45 > EXEC 1 ls", f.sent("EXEC 1 ls", "bob").toString(), "a bare EXEC is a command");
        assertEquals("10:30:45 > EXEC", f.sent("EXEC", "bob").toString(), "even a malformed one");
        assertEquals("10:30:45 > quit", f.sent("quit", "bob").toString());
        assertEquals("10:30:45 <bob> quit now", f.sent("quit now", "bob").toString());
        assertEquals("10:30:45 [private to alice] <bob> see you at 5", f.sent("/msg alice see you at 5", "bob").toString());
    }

    @Test
    void privateLinesAndTheServersHelpAreShownDistinctly() {
        assertEquals("10:30:45 [private] <alice> just for you", show(new ServerEvent.Dm(1, "alice", "just for you")));
        assertEquals("10:30:45     /who                     list connected clients",
                show(new ServerEvent.HelpEntry("/who", "list connected clients")));
        assertTrue(show(new ServerEvent.HelpEnd(1)).startsWith("10:30:45 *** 1 command on this server; keys: Tab"));
        assertTrue(show(new ServerEvent.HelpEnd(9)).startsWith("10:30:45 *** 9 commands on this server"));
        assertEquals("10:30:45 *** 1 client connected", show(new ServerEvent.WhoEnd(1)));
    }

    @Test
    void aRefusalIsShownWithTheLineItRefuses() {
        assertEquals("10:30:45 !!! not sent (NOT_YOUR_TURN it is not your turn): hello",
                f.refused("hello", new ServerEvent.Error(ErrorCode.NOT_YOUR_TURN, "it is not your turn")).toString());
        assertEquals("10:30:45 !!! not sent (NO_SUCH_NAME no client named zed): /msg zed hi",
                f.refused("/msg zed hi", new ServerEvent.Error(ErrorCode.NO_SUCH_NAME, "no client named zed")).toString());
    }

    @Test
    void longLinesWrapBetweenWordsUnderTheText() {
        AttributedString line = new AttributedString("10:30:45 <alice> the quick brown fox jumps over the lazy dog");
        List<String> rows = JLineConsole.wrap(line, 30, 9).stream().map(AttributedString::toString).toList();
        assertEquals(List.of("10:30:45 <alice> the quick", "         brown fox jumps over", "         the lazy dog"), rows);
        for (String row : rows) {
            assertTrue(row.length() < 30, row);
        }
        assertEquals(List.of("10:30:45 abcdefghijklmnopq", "         rstuvwxyz"),
                JLineConsole.wrap(new AttributedString("10:30:45 abcdefghijklmnopqrstuvwxyz"), 27, 9).stream()
                        .map(AttributedString::toString).toList(), "only a word longer than a row is cut");
        assertEquals(List.of("short"), JLineConsole.wrap(new AttributedString("short"), 0, 9).stream()
                .map(AttributedString::toString).toList(), "unknown width: whole");
    }

    @Test
    void promptShowsNameRoomAndTurn() {
        ClientState s = new ClientState();
        assertEquals("bob> ", JLineConsole.prompt(null, "bob").toString());
        assertEquals("bob> ", JLineConsole.prompt(s, "bob").toString());
        s.apply(new ServerEvent.RoomWaiting(1));
        assertEquals("bob@room1 waiting> ", JLineConsole.prompt(s, "bob").toString());
        s.apply(new ServerEvent.RoomReady(1, List.of("alice", "bob")));
        assertEquals("bob@room1> ", JLineConsole.prompt(s, "bob").toString());
        s.apply(new ServerEvent.Turn(true));
        assertEquals("bob@room1 WRITE> ", JLineConsole.prompt(s, "bob").toString());
        s.apply(new ServerEvent.Turn(false));
        assertEquals("bob@room1 READ> ", JLineConsole.prompt(s, "bob").toString());
    }

    @Test
    void rightPromptShowsRankCountAndLatestTick() {
        assertEquals("offline", JLineConsole.rightPrompt(null).toString());
        ClientState s = new ClientState();
        assertEquals("connecting", JLineConsole.rightPrompt(s).toString());
        s.apply(new ServerEvent.Welcome(3, "client3", 2, "hi"));
        s.apply(new ServerEvent.Clients(3));
        assertEquals("rank 2 · 3 online", JLineConsole.rightPrompt(s).toString());
        s.apply(new ServerEvent.IdTick(4_294_967_295L));
        assertEquals("rank 2 · 3 online · ID 4294967295", JLineConsole.rightPrompt(s).toString());
    }

    @Test
    void helpListsEverySpecCommandOnALineOfItsOwnAndTheKeys() {
        List<String> help = HelpText.commands();
        for (String command : List.of("/nick <name>", "/who", "/msg <name> <text>", "/rank", "/exec <rank> <command>",
                "/result <execId> <text>", "/logout, /quit", "/help")) {
            assertEquals(1, help.stream().filter(l -> l.startsWith("    " + command + " ")).count(), command);
        }
        String keys = String.join("\n", HelpText.keys(List.of("echo", "help")));
        for (String key : List.of("Tab", "Up/Down", "Ctrl-C", "Ctrl-D", "Others can /exec here: echo help")) {
            assertTrue(keys.contains(key), key);
        }
    }
}
