package io.hermesnet.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parses client lines into {@link ClientCommand}s (server side) and server lines into
 * {@link ServerEvent}s (client side), per docs/protocol.md §2. This is the one place lines are split.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtocolParser {
    static final String EXEC_USAGE = "usage: /exec <rank> <command>";
    static final String RESULT_USAGE = "usage: /result <execId> <text>";
    static final String MSG_USAGE = "usage: /msg <name> <text>";
    // an unknown execId is echoed in the refusal, cut to this many characters
    private static final int MAX_SHOWN_ID_CHARS = 32;
    static final String NICK_USAGE = "usage: /nick <name> (1-32 of A-Z a-z 0-9 _ -)";

    private ProtocolParser() {
    }

    /**
     * Parses one client line (terminator already removed, valid UTF-8 already checked).
     *
     * <p>A line starting with {@code /} is a command with a case-insensitive verb. The bare forms of
     * the original clients are understood too: the whole lines {@code logout}, {@code exit} and
     * {@code quit} in any case (surrounding blanks ignored), and a line whose first word is
     * {@code EXEC} in any case. Every other line is chat, sanitized per docs/protocol.md §3.4.
     *
     * @return the command, or {@code null} for a line that is to be ignored (empty, blank, or chat
     *         that is empty once control characters are removed)
     */
    public static ClientCommand parseCommand(String line) {
        if (line.isEmpty()) {
            return null;
        }
        if (line.charAt(0) == '/') {
            int space = line.indexOf(' ');
            String verb = (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
            String args = space < 0 ? "" : line.substring(space + 1).strip();
            return parseSlashCommand(verb, args);
        }
        String trimmed = line.strip();
        if (trimmed.equalsIgnoreCase("logout") || trimmed.equalsIgnoreCase("exit") || trimmed.equalsIgnoreCase("quit")) {
            return new ClientCommand.Logout();
        }
        if (trimmed.regionMatches(true, 0, "EXEC", 0, 4) && (trimmed.length() == 4 || trimmed.charAt(4) == ' ')) {
            return parseExec(trimmed.substring(4).strip());
        }
        String text = TextSanitizer.sanitize(line);
        return text.isBlank() ? null : new ClientCommand.Chat(text);
    }

    private static ClientCommand parseSlashCommand(String verb, String args) {
        switch (verb) {
            case "nick":
                return parseNick(args);
            case "who":
                return new ClientCommand.Who();
            case "help":
                return new ClientCommand.Help();
            case "msg":
                return parseMsg(args);
            case "rank":
                return new ClientCommand.RankQuery();
            case "exec":
                return parseExec(args);
            case "result":
                return parseResult(args);
            case "logout":
            case "quit":
                return new ClientCommand.Logout();
            default:
                return new ClientCommand.Unknown(TextSanitizer.sanitize(verb));
        }
    }

    private static ClientCommand parseNick(String args) {
        if (args.isEmpty() || args.indexOf(' ') >= 0 || !Names.isWellFormed(args)) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, NICK_USAGE);
        }
        if (Names.isReserved(args)) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, "names of the form client<digits> are reserved");
        }
        return new ClientCommand.Nick(args);
    }

    private static ClientCommand parseMsg(String args) {
        int space = args.indexOf(' ');
        if (args.isEmpty() || space < 0) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, MSG_USAGE);
        }
        String name = args.substring(0, space);
        if (!Names.isWellFormed(name)) {
            // nobody can hold a name that is not well-formed; shown cut and without control characters
            String shown = TextSanitizer.sanitize(name);
            if (shown.length() > Names.MAX_LENGTH) {
                shown = shown.substring(0, Names.MAX_LENGTH) + "…";
            }
            return new ClientCommand.Malformed(ErrorCode.NO_SUCH_NAME, "no client named " + shown);
        }
        String text = TextSanitizer.sanitize(args.substring(space + 1)).strip();
        return text.isEmpty() ? null : new ClientCommand.Msg(name, text); // like chat: a line left empty is ignored
    }

    private static ClientCommand parseExec(String args) {
        int space = args.indexOf(' ');
        String rankWord = space < 0 ? args : args.substring(0, space);
        long rank = parseRank(rankWord);
        if (rank < 0) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, "rank must be a non-negative integer; " + EXEC_USAGE);
        }
        String command = space < 0 ? "" : TextSanitizer.sanitize(args.substring(space + 1)).strip();
        if (command.isEmpty()) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, "missing command; " + EXEC_USAGE);
        }
        return new ClientCommand.Exec(rank, command);
    }

    private static ClientCommand parseResult(String args) {
        int space = args.indexOf(' ');
        String idWord = space < 0 ? args : args.substring(0, space);
        if (idWord.isEmpty()) {
            return new ClientCommand.Malformed(ErrorCode.BAD_ARGS, "missing execId; " + RESULT_USAGE);
        }
        long id = parseNonNegativeLong(idWord);
        if (id < 0) {
            // docs/protocol.md §3.6: an id that names no pending EXEC, however it is spelled, is NO_SUCH_EXEC
            String shown = TextSanitizer.sanitize(idWord);
            if (shown.length() > MAX_SHOWN_ID_CHARS) {
                shown = shown.substring(0, MAX_SHOWN_ID_CHARS) + "…";
            }
            return new ClientCommand.Malformed(ErrorCode.NO_SUCH_EXEC, "no pending EXEC " + shown + " for you");
        }
        String text = space < 0 ? "" : TextSanitizer.sanitize(args.substring(space + 1)).strip();
        return new ClientCommand.Result(id, text);
    }

    /**
     * A rank word: its value when it is all ASCII digits ({@link Long#MAX_VALUE} when there are too many
     * digits for a {@code long}: a well-formed rank that no client can hold), or -1 when it is not a
     * non-negative integer (empty, a sign, any other character).
     */
    static long parseRank(String word) {
        if (word.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        long v = parseNonNegativeLong(word);
        return v >= 0 ? v : Long.MAX_VALUE;
    }

    /** {@code word} as a non-negative int, or -1 if it is not one (signs, blanks, overflow). */
    static int parseNonNegativeInt(String word) {
        long v = parseNonNegativeLong(word);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** {@code word} as a non-negative long of at most 18 digits, or -1 if it is not one. */
    static long parseNonNegativeLong(String word) {
        int n = word.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = word.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Parses one server line (terminator removed) into its event. A line that is not a well-formed
     * event of docs/protocol.md §2 becomes {@link ServerEvent.Unparsed}, so a client can still show it.
     *
     * @return the event, never {@code null}
     */
    public static ServerEvent parseEvent(String line) {
        try {
            ServerEvent event = parseEventStrict(line);
            return event != null ? event : new ServerEvent.Unparsed(line);
        } catch (IllegalArgumentException e) {
            return new ServerEvent.Unparsed(line);
        }
    }

    private static ServerEvent parseEventStrict(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        String[] f;
        switch (word) {
            case "MSG":
                f = split(rest, 3);
                return new ServerEvent.Msg(num(f[0]), f[1], f[2]);
            case "DM":
                f = split(rest, 3);
                return new ServerEvent.Dm(num(f[0]), f[1], f[2]);
            case "HELP":
                f = split(rest, 2);
                return new ServerEvent.HelpEntry(f[0], f[1]);
            case "ID":
                return new ServerEvent.IdTick(num(rest));
            case "ECHO":
                return new ServerEvent.Echo(rest);
            case "CLIENTS":
                return new ServerEvent.Clients(small(rest));
            case "JOIN":
                f = exact(rest, 2);
                return new ServerEvent.Join(num(f[0]), f[1]);
            case "LEAVE":
                f = exact(rest, 3);
                return new ServerEvent.Leave(num(f[0]), f[1], LeaveReason.fromWire(f[2]));
            case "WELCOME":
                f = split(rest, 4);
                return new ServerEvent.Welcome(num(f[0]), f[1], small(f[2]), f[3]);
            case "RANK":
                return new ServerEvent.Rank(small(rest));
            case "NAME":
                return new ServerEvent.Name(exact(rest, 1)[0]);
            case "RENAME":
                f = exact(rest, 3);
                return new ServerEvent.Rename(num(f[0]), f[1], f[2]);
            case "WHO":
                f = exact(rest, 5);
                long room = f[3].equals("-") ? ServerEvent.WhoEntry.NO_ROOM : num(f[3]);
                return new ServerEvent.WhoEntry(num(f[0]), f[1], small(f[2]), room, f[4]);
            case "END":
                f = exact(rest, 2);
                return f[0].equals("WHO") ? new ServerEvent.WhoEnd(small(f[1]))
                        : f[0].equals("HELP") ? new ServerEvent.HelpEnd(small(f[1])) : null;
            case "EXEC":
                f = split(rest, 4);
                return new ServerEvent.ExecRequest(num(f[0]), small(f[1]), f[2], f[3]);
            case "OK":
                f = exact(rest, 4);
                return f[0].equals("EXEC") ? new ServerEvent.ExecAccepted(num(f[1]), small(f[2]), f[3]) : null;
            case "RESULT":
                f = split(rest, 3);
                return new ServerEvent.ExecResult(num(f[0]), f[1], f[2]);
            case "ROOM":
                return parseRoom(rest);
            case "TURN":
                return rest.equals("WRITE") ? new ServerEvent.Turn(true)
                        : rest.equals("READ") ? new ServerEvent.Turn(false) : null;
            case "ERROR":
                f = split(rest, 2);
                return new ServerEvent.Error(ErrorCode.valueOf(f[0]), f[1]);
            case "BYE":
                return new ServerEvent.Bye(rest);
            default:
                return null;
        }
    }

    private static ServerEvent parseRoom(String rest) {
        String[] f = rest.split(" ");
        if (f.length == 2 && f[1].equals("WAITING")) {
            return new ServerEvent.RoomWaiting(num(f[0]));
        }
        if (f.length >= 3 && f[1].equals("READY")) {
            List<String> names = Arrays.asList(f).subList(2, f.length);
            return new ServerEvent.RoomReady(num(f[0]), names);
        }
        return null;
    }

    /**
     * Splits {@code s} into {@code n} fields: {@code n - 1} single-space-separated words, then the
     * free text (possibly empty, possibly with spaces).
     */
    private static String[] split(String s, int n) {
        String[] out = new String[n];
        int from = 0;
        for (int i = 0; i < n - 1; i++) {
            int sp = s.indexOf(' ', from);
            if (sp < 0) {
                if (i == n - 2 && from < s.length()) {
                    // the free text is empty and its separator was left out
                    out[i] = s.substring(from);
                    out[n - 1] = "";
                    return nonEmptyWords(out, n - 1);
                }
                throw new IllegalArgumentException("too few fields");
            }
            out[i] = s.substring(from, sp);
            from = sp + 1;
        }
        out[n - 1] = s.substring(from);
        return nonEmptyWords(out, n - 1);
    }

    /** Splits {@code s} into exactly {@code n} single-space-separated words. */
    private static String[] exact(String s, int n) {
        String[] out = s.split(" ", -1);
        if (out.length != n) {
            throw new IllegalArgumentException("expected " + n + " fields");
        }
        return nonEmptyWords(out, n);
    }

    private static String[] nonEmptyWords(String[] words, int count) {
        for (int i = 0; i < count; i++) {
            if (words[i].isEmpty()) {
                throw new IllegalArgumentException("empty field");
            }
        }
        return words;
    }

    private static long num(String word) {
        long v = parseNonNegativeLong(word);
        if (v < 0) {
            throw new IllegalArgumentException("not a number: " + word);
        }
        return v;
    }

    private static int small(String word) {
        int v = parseNonNegativeInt(word);
        if (v < 0) {
            throw new IllegalArgumentException("not a number: " + word);
        }
        return v;
    }
}
