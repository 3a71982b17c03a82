package io.hermesnet.client.cli;

import io.hermesnet.protocol.ProtocolFormatter;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.protocol.TextSanitizer;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * How the interactive console shows things: each line starts with the local time ({@code HH:mm:ss});
 * chat as {@code 10:30:45 <alice> Hello everyone!}; presence as {@code --> bob joined} /
 * {@code <-- bob left (logout)}; notes from the server after {@code ***}; EXEC traffic after
 * {@code >>>} (sent), {@code <<<} (answers) and {@code !!!} (run here); private lines ({@code /msg},
 * {@code DM}) marked {@code [private]} in magenta; the server's {@code /help} as an aligned list; errors in
 * red, and a refused line with the refusal ({@code !!! not sent (NOT_YOUR_TURN ...): hello}). {@code ID} ticks,
 * {@code CLIENTS} and {@code TURN} print nothing: the prompt shows them. An {@code EXEC} is shown once, with
 * the answer this client sent, by {@link #execAnswered}.
 *
 * <p>Stateless apart from the clock; thread-safe.
 */
final class EventFormatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK);
    private static final AttributedStyle NOTE = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle EXEC = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle WARNING = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();
    private static final AttributedStyle SELF = AttributedStyle.BOLD;
    private static final AttributedStyle PRIVATE = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA).bold();
    private static final AttributedStyle HELP = AttributedStyle.DEFAULT;
    private static final int[] NAME_COLOURS = {AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE,
            AttributedStyle.MAGENTA, AttributedStyle.CYAN, AttributedStyle.RED};

    private final Clock clock;

    EventFormatter(Clock clock) {
        this.clock = clock;
    }

    /** The line for {@code event}, or {@code null} for events shown only in the prompt. */
    AttributedString format(ServerEvent event) {
        if (event instanceof ServerEvent.Msg e) {
            return line().append("<").append(e.name(), nameStyle(e.name())).append("> ").append(e.text()).toAttributedString();
        } else if (event instanceof ServerEvent.Dm e) {
            return line().append("[private] ", PRIVATE).append("<").append(e.name(), nameStyle(e.name())).append("> ")
                    .append(e.text()).toAttributedString();
        } else if (event instanceof ServerEvent.HelpEntry e) {
            return line().append(String.format("    %-24s ", e.command()), AttributedStyle.BOLD).append(e.text(), HELP)
                    .toAttributedString();
        } else if (event instanceof ServerEvent.HelpEnd e) {
            return note(plural(e.count(), "command") + " on this server; keys: Tab completes, Up/Down history, "
                    + "Ctrl-C clears the line (leaves on an empty one), Ctrl-D leaves");
        } else if (event instanceof ServerEvent.IdTick || event instanceof ServerEvent.Clients || event instanceof ServerEvent.Turn) {
            return null;
        } else if (event instanceof ServerEvent.Echo e) {
            return line().append("(echo) " + e.text(), DIM).toAttributedString();
        } else if (event instanceof ServerEvent.Join e) {
            return line().append("--> ", NOTE).append(e.name(), nameStyle(e.name())).append(" joined", NOTE).toAttributedString();
        } else if (event instanceof ServerEvent.Leave e) {
            return line().append("<-- ", NOTE).append(e.name(), nameStyle(e.name()))
                    .append(" left (" + e.reason().wire() + ")", NOTE).toAttributedString();
        } else if (event instanceof ServerEvent.Welcome e) {
            return note("connected as " + e.name() + " (id " + e.id() + ", rank " + e.rank() + "): " + e.text());
        } else if (event instanceof ServerEvent.Name e) {
            return note("you are now " + e.name());
        } else if (event instanceof ServerEvent.Rename e) {
            return note(e.oldName() + " is now known as " + e.newName());
        } else if (event instanceof ServerEvent.Rank e) {
            return note("your rank is " + e.rank());
        } else if (event instanceof ServerEvent.WhoEntry e) {
            String room = e.room() == ServerEvent.WhoEntry.NO_ROOM ? "" : "  room " + e.room();
            return line().append(String.format("    rank %-3d ", e.rank()))
                    .append(String.format("%-16s", e.name()), nameStyle(e.name()))
                    .append(" id " + e.id() + "  " + e.address() + room).toAttributedString();
        } else if (event instanceof ServerEvent.WhoEnd e) {
            return note(plural(e.count(), "client") + " connected");
        } else if (event instanceof ServerEvent.ExecRequest) {
            return null; // the app always answers an EXEC; execAnswered shows it with its answer
        } else if (event instanceof ServerEvent.ExecAccepted e) {
            return line().append(">>> exec " + e.execId() + " sent to " + e.targetName() + " (rank " + e.targetRank() + ")",
                    EXEC).toAttributedString();
        } else if (event instanceof ServerEvent.ExecResult e) {
            return line().append("<<< " + e.fromName() + " answered exec " + e.execId() + ": ", EXEC).append(e.text())
                    .toAttributedString();
        } else if (event instanceof ServerEvent.RoomWaiting e) {
            return note("room " + e.roomId() + ": waiting for more members");
        } else if (event instanceof ServerEvent.RoomReady e) {
            return note("room " + e.roomId() + " is ready: " + String.join(", ", e.names()));
        } else if (event instanceof ServerEvent.Error e) {
            return line().append("!!! " + e.code() + ": " + e.text(), ERROR).toAttributedString();
        } else if (event instanceof ServerEvent.Bye e) {
            return note("disconnected: " + e.text());
        }
        // Unparsed, or an event type newer than this formatter: show the wire line, made harmless.
        return line().append(TextSanitizer.sanitize(ProtocolFormatter.format(event))).toAttributedString();
    }

    /** The line for an EXEC this client answered. */
    AttributedString execAnswered(ServerEvent.ExecRequest request, String result) {
        return line().append("!!! " + request.fromName() + " (rank " + request.fromRank() + ") ran here: "
                + request.command() + "  -> ", EXEC).append(result).toAttributedString();
    }

    /**
     * The local echo of a line the user sent, as the server reads it: chat as {@code <me> text}, a private
     * line as {@code [private to bob] <me> text}, every command (bare {@code EXEC 1 ls} and {@code quit}
     * too) as {@code > /who}.
     */
    AttributedString sent(String line, String ownName) {
        String text = TextSanitizer.sanitize(line);
        LineKind kind = LineKind.of(line);
        if (kind == LineKind.MSG) {
            String[] f = text.split(" ", 3);
            if (f.length == 3 && !f[1].isEmpty()) {
                return line().append("[private to " + f[1] + "] ", PRIVATE).append("<").append(ownName, SELF).append("> ")
                        .append(f[2]).toAttributedString();
            }
        }
        if (kind != null && !kind.chat()) {
            return line().append("> " + text, DIM).toAttributedString();
        }
        return line().append("<").append(ownName, SELF).append("> ").append(text).toAttributedString();
    }

    /** A line the server refused, with the refusal: {@code !!! not sent (NOT_YOUR_TURN it is not your turn): hello}. */
    AttributedString refused(String line, ServerEvent.Error error) {
        String what = error.text().isEmpty() ? error.code().name() : error.code() + " " + error.text();
        return line().append("!!! not sent (" + what + "): ", ERROR).append(TextSanitizer.sanitize(line))
                .toAttributedString();
    }

    /** {@code 1 client}, {@code 2 clients}. */
    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** A note from the client itself, e.g. {@code 10:30:45 *** connecting to 127.0.0.1:9000}. */
    AttributedString note(String text) {
        return line().append("*** " + text, NOTE).toAttributedString();
    }

    /** A warning from the client, e.g. {@code 10:30:45 !!! connection to 127.0.0.1:9000 lost; retrying in 0.4 s …}. */
    AttributedString warning(String text) {
        return line().append("!!! " + text, WARNING).toAttributedString();
    }

    /** An error line, without the time: the one line a failure prints. */
    AttributedString error(String text) {
        return new AttributedStringBuilder().append(text, ERROR).toAttributedString();
    }

    private AttributedStringBuilder line() {
        return new AttributedStringBuilder().append(LocalTime.now(clock).format(TIME), DIM).append(" ");
    }

    /** A colour per name, so a conversation is easy to follow; the same name always gets the same colour. */
    static AttributedStyle nameStyle(String name) {
        return AttributedStyle.BOLD.foreground(NAME_COLOURS[Math.floorMod(name.toLowerCase(java.util.Locale.ROOT).hashCode(),
                NAME_COLOURS.length)]);
    }
}
