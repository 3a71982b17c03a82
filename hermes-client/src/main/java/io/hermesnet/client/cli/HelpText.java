package io.hermesnet.client.cli;

import java.util.Collection;
import java.util.List;

/** The interactive console's {@code /help}: every client command of SPEC §2, one line each. */
final class HelpText {
    private HelpText() {
    }

    /** The help lines; {@code builtins} are the EXEC commands this client answers. */
    static List<String> lines(Collection<String> builtins) {
        return List.of(
                "Commands (anything else you type is chat to everyone in your room):",
                "  /nick <name>             set your name: 1-32 of A-Z a-z 0-9 _ -",
                "  /who                     list the connected clients: rank, name, id, address, room",
                "  /rank                    show your rank (0 is the highest)",
                "  /exec <rank> <command>   ask the client holding <rank> to run a command (only ranks below yours)",
                "  /result <execId> <text>  answer an EXEC yourself (this client answers its built-ins on its own)",
                "  /logout, /quit           log out and leave (Ctrl-D too; Ctrl-C leaves as well)",
                "  /help                    this list (answered by the client, not sent)",
                "Without the slash, EXEC <rank> <command>, logout, exit and quit work too.",
                "Others can /exec here: " + String.join(" ", builtins));
    }

    /** The command words, for tab completion. */
    static List<String> commandWords() {
        return List.of("/nick", "/who", "/rank", "/exec", "/result", "/logout", "/quit", "/help");
    }
}
