package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;

import java.io.IOError;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The interactive console: a JLine 3 {@link LineReader} with line editing, history (in memory), Tab
 * completion of command names at the start of a line and of nicknames anywhere ({@link ChatCompleter}),
 * Ctrl-C that clears the typed line (and leaves on an empty one), Ctrl-D that leaves on an empty line. Everything that arrives is printed above the line being typed with
 * {@link LineReader#printAbove}, so it never garbles the typed text. The prompt shows the name and, in
 * room mode, the room and the turn ({@code alice@room1 WRITE> }); the right prompt shows the rank, the
 * number of clients online and the latest {@code ID} tick, refreshed in place instead of printing a
 * line per tick. Printed lines wrap at word boundaries; a terminal resize redraws the prompts cleanly.
 *
 * <p>Threading: input is read on one daemon thread; output comes from the event loop and the main
 * thread. JLine's reader serialises printing and redrawing under its own lock; the prompt is changed
 * only inside a widget, which runs under that lock.
 */
final class JLineConsole implements Console {
    private static final String REFRESH_WIDGET = "hermes-refresh";
    private static final String CTRL_C_WIDGET = "hermes-ctrl-c";
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK);
    /** Columns of the {@code HH:mm:ss } prefix: wrapped rows start under the text. */
    static final int CONTINUATION_INDENT = 9;
    private static final AttributedStyle WARN = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

    private final Terminal terminal;
    private final LineReaderImpl reader;
    private final EventFormatter formatter;
    private final String requestedName;
    private final Collection<String> builtins;
    private volatile ClientState state;
    private volatile boolean closing;
    private volatile Thread inputThread;
    private volatile String shownPrompt = "";
    private volatile String shownRightPrompt = "";

    /** A console on {@code terminal}, which it closes when closed; {@link #open} uses the system terminal. */
    JLineConsole(Terminal terminal, Clock clock, String requestedName, Collection<String> builtins) {
        this.terminal = terminal;
        this.formatter = new EventFormatter(clock);
        this.requestedName = requestedName;
        this.builtins = builtins;
        Map<String, Object> variables = new HashMap<>();
        variables.put(LineReader.HISTORY_SIZE, 1000);
        this.reader = new LineReaderImpl(terminal, "hermes-client", variables) {
            @Override
            protected void handleSignal(Terminal.Signal signal) {
                if (signal == Terminal.Signal.WINCH && isReading()) {
                    // A terminal that re-flows its lines on resize leaves the old right prompt where
                    // JLine's model of the screen no longer has it: go to the start of the prompt, clear
                    // to the end of the screen and draw the prompts and the typed text afresh.
                    int columns = terminal.getWidth();
                    int before = prompt.columnLength() + new AttributedString(buf.substring(0, buf.cursor())).columnLength();
                    int up = columns > 0 ? before / columns : 0;
                    if (up > 0) {
                        terminal.puts(InfoCmp.Capability.parm_up_cursor, up);
                    }
                    terminal.puts(InfoCmp.Capability.carriage_return);
                    terminal.puts(InfoCmp.Capability.clr_eos);
                    redrawLine();
                    super.handleSignal(signal);
                    redisplay();
                    terminal.flush();
                    return;
                }
                super.handleSignal(signal);
            }

            @Override
            protected void cleanup() {
                // ERASE_LINE_ON_FINISH erases the prompt and the typed text but would redraw the right
                // prompt, leaving it behind on the line the next printAbove writes to.
                rightPrompt = AttributedString.EMPTY;
                super.cleanup();
            }
        };
        reader.setHistory(new DefaultHistory());
        // Words are split at blanks only: chat is free text, quotes and backslashes are just characters.
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        parser.setQuoteChars(new char[0]);
        reader.setParser(parser);
        reader.setCompleter(new ChatCompleter(HelpText.commandWords(), this::peerNames));
        reader.option(LineReader.Option.CASE_INSENSITIVE, true);
        reader.option(LineReader.Option.INSERT_TAB, false);
        reader.variable(LineReader.BELL_STYLE, "none");
        // Chat is free text: no !history expansion, no backslash escapes, no continuation lines.
        reader.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        // The typed line is replaced by its timestamped echo, so the screen reads as one timeline.
        reader.option(LineReader.Option.ERASE_LINE_ON_FINISH, true);
        // Ctrl-C usually arrives as SIGINT (UserInterruptException below); a terminal that passes it on as
        // a key gets the same: the typed line is cleared, an empty line leaves.
        reader.getWidgets().put(CTRL_C_WIDGET, () -> {
            if (reader.getBuffer().length() > 0) {
                reader.getBuffer().clear();
                return true;
            }
            throw new UserInterruptException("");
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(CTRL_C_WIDGET), KeyMap.ctrl('C'));
        reader.getWidgets().put(REFRESH_WIDGET, () -> {
            reader.setPrompt(shownPrompt);
            reader.setRightPrompt(shownRightPrompt);
            reader.callWidget(LineReader.REDISPLAY);
            return true;
        });
    }

    /**
     * Opens the system terminal.
     *
     * @throws IOException if no terminal can be opened
     */
    static JLineConsole open(Clock clock, String requestedName, Collection<String> builtins) throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).name("hermes-client").build();
        return new JLineConsole(terminal, clock, requestedName, builtins);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void startInput(Consumer<Signal> signals) {
        Thread t = new Thread(() -> read(signals), "hermes-client-console");
        t.setDaemon(true);
        inputThread = t;
        t.start();
    }

    private void read(Consumer<Signal> signals) {
        while (!closing) {
            String line;
            try {
                updatePrompts();
                line = reader.readLine(shownPrompt, shownRightPrompt, (Character) null, null);
            } catch (UserInterruptException e) {
                if (closing) {
                    return;
                }
                if (!e.getPartialLine().isEmpty()) {
                    continue; // Ctrl-C with text typed clears the line, like a shell
                }
                signals.accept(new Signal.Interrupt());
                return;
            } catch (EndOfFileException | IOError e) {
                if (!closing) {
                    signals.accept(new Signal.EndOfInput());
                }
                return;
            }
            signals.accept(new Signal.Line(line));
            if (ProtocolParser.parseCommand(line) instanceof ClientCommand.Logout) {
                return; // no prompt while the server says goodbye
            }
        }
    }

    @Override
    public void attach(ClientState state) {
        this.state = state;
        refresh();
    }

    @Override
    public void show(ServerEvent event) {
        AttributedString line = formatter.format(event);
        if (line != null) {
            print(line);
        }
        refresh();
    }

    @Override
    public void showExecAnswered(ServerEvent.ExecRequest request, String result) {
        print(formatter.execAnswered(request, result));
    }

    @Override
    public void showSent(String line) {
        print(formatter.sent(line, currentName()));
    }

    @Override
    public void showRefused(String line, ServerEvent.Error error) {
        print(formatter.refused(line, error));
    }

    @Override
    public void help() {
        for (String line : HelpText.keys(builtins)) {
            print(new AttributedString(line, DIM));
        }
    }

    @Override
    public void helpCommands() {
        for (String line : HelpText.commands()) {
            print(new AttributedString(line, DIM));
        }
    }

    @Override
    public void notice(String text) {
        print(formatter.note(text));
    }

    @Override
    public void warn(String text) {
        print(formatter.warning(text));
    }

    @Override
    public void error(String text) {
        print(formatter.error(text));
    }

    /** Prints above the typed line, wrapped at word boundaries to the terminal's current width. */
    private void print(AttributedString line) {
        for (AttributedString part : wrap(line, terminal.getWidth(), CONTINUATION_INDENT)) {
            reader.printAbove(part);
        }
    }

    /**
     * {@code line} cut into rows of fewer than {@code width} columns, at the last blank that fits, so
     * no word is cut unless it is longer than a row; rows after the first are indented by
     * {@code indent} columns (under the text, past the time). A width of 0 (unknown) leaves the line whole.
     */
    static List<AttributedString> wrap(AttributedString line, int width, int indent) {
        // One column short of the width: a row that fills the last column wraps early on some terminals.
        int limit = width - 1;
        if (width <= 0 || line.columnLength() <= limit || limit <= indent + 1) {
            return List.of(line);
        }
        List<AttributedString> rows = new ArrayList<>();
        AttributedString pad = new AttributedString(" ".repeat(indent));
        AttributedString rest = line;
        boolean first = true;
        while (true) {
            int room = first ? limit : limit - indent;
            if (rest.columnLength() <= room) {
                rows.add(first ? rest : AttributedString.join(AttributedString.EMPTY, pad, rest));
                return rows;
            }
            AttributedString head = rest.columnSubSequence(0, room);
            int cut = head.length() < rest.length() && rest.charAt(head.length()) == ' '
                    ? head.length() // the row ends exactly at a word's end
                    : head.toString().lastIndexOf(' ');
            int end = cut > (first ? indent : 0) ? cut : head.length(); // a word longer than a row is cut
            AttributedString row = rest.subSequence(0, end);
            rows.add(first ? row : AttributedString.join(AttributedString.EMPTY, pad, row));
            int next = end;
            while (next < rest.length() && rest.charAt(next) == ' ') {
                next++;
            }
            rest = rest.subSequence(next, rest.length());
            first = false;
        }
    }

    /** The names Tab completes: the other clients of the current connection. */
    private Collection<String> peerNames() {
        ClientState s = state;
        return s != null ? s.peerNames() : List.of();
    }

    /** The name to show: the server's word for it once known, else the one asked for. */
    String currentName() {
        ClientState s = state;
        return s != null && s.name() != null ? s.name() : requestedName;
    }

    private void updatePrompts() {
        shownPrompt = prompt(state, currentName()).toAnsi(terminal);
        shownRightPrompt = rightPrompt(state).toAnsi(terminal);
    }

    /** Redraws the prompts in place if they changed while a line is being typed. */
    private void refresh() {
        String before = shownPrompt;
        String beforeRight = shownRightPrompt;
        updatePrompts();
        if (before.equals(shownPrompt) && beforeRight.equals(shownRightPrompt)) {
            return;
        }
        if (reader.isReading()) {
            try {
                reader.callWidget(REFRESH_WIDGET);
            } catch (IllegalStateException e) {
                // readLine returned in between; the next one draws the new prompt
            }
        }
    }

    /** {@code alice> }, {@code alice@room1 waiting> }, {@code alice@room1 WRITE> }. */
    static AttributedString prompt(ClientState s, String name) {
        AttributedStringBuilder b = new AttributedStringBuilder().append(name, AttributedStyle.BOLD);
        if (s != null && s.roomId() != ClientState.UNKNOWN) {
            b.append("@room" + s.roomId());
            if (!s.roomReady()) {
                b.append(" waiting", WARN);
            } else if (s.turn() == ClientState.Turn.WRITE) {
                b.append(" WRITE", AttributedStyle.BOLD.foreground(AttributedStyle.GREEN));
            } else if (s.turn() == ClientState.Turn.READ) {
                b.append(" READ", WARN);
            }
        }
        return b.append("> ").toAttributedString();
    }

    /** {@code rank 2 · 3 online · ID 1234}, {@code connecting}, or {@code offline}. */
    static AttributedString rightPrompt(ClientState s) {
        String text;
        if (s == null) {
            text = "offline";
        } else if (!s.welcomed()) {
            text = "connecting";
        } else {
            text = "rank " + s.rank() + " · " + s.clients() + " online"
                    + (s.lastTick() != ClientState.UNKNOWN ? " · ID " + s.lastTick() : "");
        }
        return new AttributedString(text, DIM);
    }

    @Override
    public void close() {
        closing = true;
        Thread t = inputThread;
        if (t != null && t.isAlive()) {
            t.interrupt(); // readLine turns the interrupt into UserInterruptException and erases its line
            try {
                t.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // nothing left to restore
        }
    }

    @Override
    public String toString() {
        return "JLineConsole[" + Objects.toString(terminal.getType()) + "]";
    }
}
