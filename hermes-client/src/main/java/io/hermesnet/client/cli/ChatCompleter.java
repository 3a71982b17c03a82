package io.hermesnet.client.cli;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Tab completion as in irssi: the word under the cursor completes to a command name when it is the
 * first word of the line and starts with {@code /}, and to the nickname of a connected client anywhere
 * (as the first word of the line with {@code ": "} after it, the way one addresses someone). An empty
 * word, or a word that matches nothing, completes to nothing: Tab then does nothing at all.
 *
 * <p>The nicknames are read on each Tab from {@code names}, which follows {@code WHO}, {@code JOIN},
 * {@code LEAVE} and {@code RENAME}. Runs on the console's input thread.
 */
final class ChatCompleter implements Completer {
    private final List<String> commands;
    private final Supplier<Collection<String>> names;

    ChatCompleter(List<String> commands, Supplier<Collection<String>> names) {
        this.commands = List.copyOf(commands);
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        if (word.isEmpty()) {
            return;
        }
        boolean first = line.wordIndex() == 0;
        String prefix = word.toLowerCase(Locale.ROOT);
        if (word.startsWith("/")) {
            if (first) {
                for (String c : commands) {
                    if (c.startsWith(prefix)) {
                        candidates.add(new Candidate(c, c, null, null, null, null, true));
                    }
                }
            }
            return;
        }
        for (String name : names.get()) {
            if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                candidates.add(new Candidate(first ? name + ":" : name, name, null, null, null, null, true));
            }
        }
    }
}
