package io.hermesnet.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ProtocolParser#parseCommand}: every client line form of docs/protocol.md §2 "Client → server". */
class ProtocolParserCommandTest {

    private static ClientCommand parse(String line) {
        return ProtocolParser.parseCommand(line);
    }

    private static void assertBadArgs(String line) {
        ClientCommand c = parse(line);
        ClientCommand.Malformed m = assertInstanceOf(ClientCommand.Malformed.class, c, line);
        assertEquals(ErrorCode.BAD_ARGS, m.code(), line);
        assertTrue(!m.text().isEmpty(), "a BAD_ARGS answer says what is wrong");
    }

    // --- chat ---

    @Test
    void plainLineIsChatKeptAsTyped() {
        assertEquals(new ClientCommand.Chat("hello world"), parse("hello world"));
        assertEquals(new ClientCommand.Chat("  spaced  "), parse("  spaced  "));
        assertEquals(new ClientCommand.Chat("héllo ☃ 😀"), parse("héllo ☃ 😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", " \t "})
    void emptyAndBlankLinesAreIgnored(String line) {
        assertNull(parse(line));
    }

    @Test
    void chatIsSanitizedKeepingTab() {
        assertEquals(new ClientCommand.Chat("[2Jhi\tthere"), parse("\u001b[2Jhi\tthere"));
        assertEquals(new ClientCommand.Chat("ab"), parse("a\u007fb"));
        assertEquals(new ClientCommand.Chat("xy"), parse("x\u009b\u0085y"));
        assertEquals(new ClientCommand.Chat("bell"), parse("b\u0007ell\r"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u001b", "\u001b\u0007\u0000", "\u007f", "\u0080\u009f", " \u001b ", "\r"})
    void chatEmptyOnceSanitizedIsIgnored(String line) {
        assertNull(parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"quit now", "logout please", "exit stage left", "logouts", "exits", "xquit", "EXECUTE 1 ls",
        "execs", " /nick bob"})
    void linesThatOnlyLookLikeCommandsAreChat(String line) {
        assertEquals(new ClientCommand.Chat(line), parse(line));
    }

    // --- logout ---

    @ParameterizedTest
    @ValueSource(strings = {"logout", "exit", "quit", "LOGOUT", "Exit", "qUiT", "  quit", "exit  ", "\tlogout\t", " QUIT "})
    void bareLogoutWordsInAnyCaseWithBlanks(String line) {
        assertEquals(new ClientCommand.Logout(), parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/logout", "/quit", "/LOGOUT", "/Quit", "/quit now", "/logout  "})
    void slashLogoutAndQuit(String line) {
        assertEquals(new ClientCommand.Logout(), parse(line));
    }

    @Test
    void slashExitIsNotACommand() {
        assertEquals(new ClientCommand.Unknown("exit"), parse("/exit"));
    }

    // --- simple commands, case-insensitive verbs ---

    @ParameterizedTest
    @ValueSource(strings = {"/who", "/WHO", "/Who", "/who extra words"})
    void who(String line) {
        assertEquals(new ClientCommand.Who(), parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/rank", "/RANK", "/rAnK"})
    void rank(String line) {
        assertEquals(new ClientCommand.RankQuery(), parse(line));
    }

    // --- /nick ---

    @ParameterizedTest
    @ValueSource(strings = {"bob", "Bob_the-2nd", "a", "_", "-", "client", "clientx", "client1x", "xclient1",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"})
    void nickValid(String name) {
        assertEquals(new ClientCommand.Nick(name), parse("/nick " + name));
        assertEquals(new ClientCommand.Nick(name), parse("/NICK " + name));
        assertEquals(new ClientCommand.Nick(name), parse("/Nick   " + name + "  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nick", "/nick ", "/nick   ", "/nick bob smith", "/nick bo.b", "/nick bób", "/nick bob!",
        "/nick b\u001bb", "/nick ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg"})
    void nickInvalidOrTooLong(String line) {
        assertBadArgs(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client1", "client0", "CLIENT42", "Client007", "client12345678901234567890"})
    void nickReservedDefaultNames(String name) {
        assertBadArgs("/nick " + name);
        ClientCommand.Malformed m = (ClientCommand.Malformed) parse("/nick " + name);
        assertTrue(m.text().contains("reserved"), m.text());
    }

    // --- /exec and EXEC ---

    @Test
    void execSlashAndBareForms() {
        assertEquals(new ClientCommand.Exec(2, "echo hi"), parse("/exec 2 echo hi"));
        assertEquals(new ClientCommand.Exec(2, "echo hi"), parse("/EXEC 2 echo hi"));
        assertEquals(new ClientCommand.Exec(2, "echo hi"), parse("EXEC 2 echo hi"));
        assertEquals(new ClientCommand.Exec(2, "echo hi"), parse("exec 2 echo hi"));
        assertEquals(new ClientCommand.Exec(2, "echo hi"), parse("  Exec 2 echo hi  "));
        assertEquals(new ClientCommand.Exec(0, "ls"), parse("/exec 0 ls"));
        assertEquals(new ClientCommand.Exec(7, "ls"), parse("/exec 007 ls"));
        assertEquals(new ClientCommand.Exec(Integer.MAX_VALUE, "ls"), parse("/exec 2147483647 ls"));
    }

    @Test
    void execCommandIsSanitized() {
        assertEquals(new ClientCommand.Exec(1, "[31mred\tx"), parse("/exec 1 \u001b[31mred\tx"));
        assertEquals(new ClientCommand.Exec(1, "ok"), parse("EXEC 1 o\u0085k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EXEC", "exec", "EXEC ", " EXEC  ", "/exec", "/exec ", "/exec 1", "/exec 1 ", "/exec 1   ",
        "EXEC 1", "/exec x ls", "/exec -1 ls", "/exec +1 ls", "/exec 1.5 ls", "/exec 0x1 ls", "/exec ls",
        "/exec 2147483648", "/exec 99999999999999999999999999 ", "/exec 1 \u001b\u0007", "EXEC 1 \u009b"})
    void execBadArgs(String line) {
        assertBadArgs(line);
    }

    @Test
    void anyWellFormedRankIsAnExecHoweverLarge() {
        // docs/protocol.md §3.6: no client holds these, so the hub answers NO_SUCH_RANK, not BAD_ARGS
        assertEquals(new ClientCommand.Exec(2147483648L, "ls"), parse("/exec 2147483648 ls"));
        assertEquals(new ClientCommand.Exec(999_999_999_999_999_999L, "ls"), parse("/exec 999999999999999999 ls"));
        assertEquals(new ClientCommand.Exec(Long.MAX_VALUE, "ls"), parse("/exec 99999999999999999999999999 ls"));
        assertEquals(new ClientCommand.Exec(Long.MAX_VALUE, "ls"), parse("EXEC 9223372036854775808 ls"));
    }

    @Test
    void execUsageIsInTheAnswer() {
        ClientCommand.Malformed m = (ClientCommand.Malformed) parse("/exec 1");
        assertTrue(m.text().contains("/exec <rank> <command>"), m.text());
    }

    // --- /result ---

    @Test
    void result() {
        assertEquals(new ClientCommand.Result(5, "done it"), parse("/result 5 done it"));
        assertEquals(new ClientCommand.Result(5, "done it"), parse("/RESULT 5   done it  "));
        assertEquals(new ClientCommand.Result(5, ""), parse("/result 5"));
        assertEquals(new ClientCommand.Result(5, ""), parse("/result 5 \u001b"));
        assertEquals(new ClientCommand.Result(0, "a\tb"), parse("/result 0 a\tb\u0007"));
        assertEquals(new ClientCommand.Result(999_999_999_999_999_999L, "x"), parse("/result 999999999999999999 x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/result", "/result ", "/RESULT   "})
    void resultWithoutAnIdIsBadArgs(String line) {
        assertBadArgs(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/result x text", "/result -1 text", "/result +1 text", "/result nosuchexec42 x",
        "/result 1e3 text", "/result 9999999999999999999 text", "/result 123456789012345678901234567890 x"})
    void resultWithAnIdThatIsNoExecIsNoSuchExec(String line) {
        // docs/protocol.md §3.6: any spelling of an id that names no pending EXEC is NO_SUCH_EXEC
        ClientCommand c = parse(line);
        assertTrue(c instanceof ClientCommand.Malformed m && m.code() == ErrorCode.NO_SUCH_EXEC, c.toString());
    }

    @Test
    void theUnknownIdIsShownSanitizedAndCut() {
        ClientCommand.Malformed m = (ClientCommand.Malformed) parse("/result \u001b[2J" + "x".repeat(100) + " hi");
        assertFalse(m.text().contains("\u001b"), m.text());
        assertTrue(m.text().length() < 80, m.text());
    }

    @Test
    void bareResultIsChat() {
        assertEquals(new ClientCommand.Chat("RESULT 1 x"), parse("RESULT 1 x"));
    }

    // --- /msg and /help ---

    @Test
    void msgAndHelp() {
        assertEquals(new ClientCommand.Msg("Bob", "hi there"), parse("/msg Bob hi there"));
        assertEquals(new ClientCommand.Msg("bob", "x"), parse("/MSG bob   x \u001b"));
        assertEquals(null, parse("/msg bob \u001b\u0007"), "a text left empty is ignored, as chat is");
        assertEquals(new ClientCommand.Help(), parse("/help"));
        assertEquals(new ClientCommand.Help(), parse("/HELP me"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/msg", "/msg ", "/msg bob"})
    void msgWithoutNameOrTextIsBadArgs(String line) {
        assertBadArgs(line);
    }

    @Test
    void msgToANameNobodyCanHoldIsNoSuchName() {
        ClientCommand.Malformed m = (ClientCommand.Malformed) parse("/msg b\u001b[2Jo!b hi");
        assertEquals(ErrorCode.NO_SUCH_NAME, m.code());
        assertFalse(m.text().contains("\u001b"), m.text());
    }

    // --- unknown ---

    @Test
    void unknownVerbIsNamedInLowerCase() {
        assertEquals(new ClientCommand.Unknown("foo"), parse("/foo"));
        assertEquals(new ClientCommand.Unknown("foo"), parse("/FOO bar baz"));
        assertEquals(new ClientCommand.Unknown("helpme"), parse("/helpme"));
    }

    @Test
    void loneSlashIsAnUnknownCommandWithAnEmptyVerb() {
        assertEquals(new ClientCommand.Unknown(""), parse("/"));
        assertEquals(new ClientCommand.Unknown(""), parse("/ who"));
    }

    @Test
    void unknownVerbIsSanitized() {
        assertEquals(new ClientCommand.Unknown("[2jx"), parse("/\u001b[2Jx"));
    }

    // --- number parsing ---

    @Test
    void nonNegativeNumbers() {
        assertEquals(0, ProtocolParser.parseNonNegativeInt("0"));
        assertEquals(Integer.MAX_VALUE, ProtocolParser.parseNonNegativeInt("2147483647"));
        assertEquals(-1, ProtocolParser.parseNonNegativeInt("2147483648"));
        assertEquals(-1, ProtocolParser.parseNonNegativeInt(""));
        assertEquals(-1, ProtocolParser.parseNonNegativeInt(" 1"));
        assertEquals(999_999_999_999_999_999L, ProtocolParser.parseNonNegativeLong("999999999999999999"));
        assertEquals(-1, ProtocolParser.parseNonNegativeLong("1000000000000000000"));
        assertEquals(-1, ProtocolParser.parseNonNegativeLong("-0"));
        assertEquals(-1, ProtocolParser.parseNonNegativeLong("١٢")); // other scripts' digits are not numbers here
    }
}
