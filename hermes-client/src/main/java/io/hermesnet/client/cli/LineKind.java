package io.hermesnet.client.cli;

import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;

import java.util.Locale;

/**
 * What a line the user sends is, as the server will read it (docs/protocol.md "Client to server"): chat,
 * or one of the commands. Decides how the console shows the line and which {@code ERROR} can refer to it.
 */
enum LineKind {
    CHAT, NICK, WHO, RANK, MSG, EXEC, RESULT, HELP, LOGOUT, UNKNOWN, MALFORMED;

    /** The kind of {@code line}, or {@code null} for a line the server ignores (blank). */
    static LineKind of(String line) {
        if (line.startsWith("/")) {
            // /msg and /help are read here first: they are newer than some servers' parsers.
            int space = line.indexOf(' ');
            String verb = (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
            if (verb.equals("msg")) {
                return MSG;
            }
            if (verb.equals("help")) {
                return HELP;
            }
        }
        ClientCommand c = ProtocolParser.parseCommand(line);
        if (c == null) {
            return null;
        }
        if (c instanceof ClientCommand.Chat) {
            return CHAT;
        } else if (c instanceof ClientCommand.Nick) {
            return NICK;
        } else if (c instanceof ClientCommand.Who) {
            return WHO;
        } else if (c instanceof ClientCommand.RankQuery) {
            return RANK;
        } else if (c instanceof ClientCommand.Exec) {
            return EXEC;
        } else if (c instanceof ClientCommand.Result) {
            return RESULT;
        } else if (c instanceof ClientCommand.Logout) {
            return LOGOUT;
        } else if (c instanceof ClientCommand.Unknown) {
            return UNKNOWN;
        }
        return MALFORMED; // the server answers it with ERROR BAD_ARGS, whatever its verb
    }

    /** Whether the server reads this line as chat (everything else is shown as a command). */
    boolean chat() {
        return this == CHAT;
    }
}
