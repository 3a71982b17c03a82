package io.hermesnet.client.cli;

import java.util.Collection;
import java.util.List;

/**
 * The interactive console's {@code /help}. The client prints its own part (keys, what it answers) and
 * sends {@code /help} on, so the server lists the commands it understands ({@code HELP} lines); a server
 * too old for {@code /help} gets {@link #commands} instead.
 */
final class HelpText {
    private HelpText() {
    }

    /** The client's own part of {@code /help}; {@code builtins} are the EXEC commands this client answers. */
    static List<String> keys(Collection<String> builtins) {
        return List.of(
                "Anything you type that does not start with / is chat to everyone in your room.",
                "Keys: Tab completes a command at the start of the line and a nickname anywhere;",
                "      Up/Down browse the lines you typed; Ctrl-C clears the line, or leaves on an empty one;",
                "      Ctrl-D on an empty line leaves (like /quit).",
                "Others can /exec here: " + String.join(" ", builtins),
                "Commands the server understands:");
    }

    /** Every client command of docs/protocol.md, one line each: shown when the server does not answer {@code /help}. */
    static List<String> commands() {
        return List.of(
                "    /nick <name>             set your name: 1-32 of A-Z a-z 0-9 _ -",
                "    /who                     list the connected clients: rank, name, id, address, room",
                "    /msg <name> <text>       a private line to one client",
                "    /rank                    show your rank (0 is the highest)",
                "    /exec <rank> <command>   ask the client holding <rank> to run a command (only ranks below yours)",
                "    /result <execId> <text>  answer an EXEC yourself (this client answers its built-ins on its own)",
                "    /logout, /quit           log out and leave",
                "    /help                    this list");
    }

    /** The command words, for tab completion at the start of a line. */
    static List<String> commandWords() {
        return List.of("/nick", "/who", "/msg", "/rank", "/exec", "/result", "/logout", "/quit", "/help");
    }
}
