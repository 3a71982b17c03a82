package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.io.IOError;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The interactive console: a JLine 3 {@link LineReader} with line editing, history (in memory) and tab
 * completion of the commands. Everything that arrives is printed above the line being typed with
 * {@link LineReader#printAbove}, so it never garbles the typed text. The prompt shows the name and, in
 * room mode, the room and the turn ({@code alice@room1 WRITE> }); the right prompt shows the rank, the
 * number of clients online and the latest {@code ID} tick, refreshed in place instead of printing a
 * line per tick.
 *
 * <p>Threading: input is read on one daemon thread; output comes from the event loop and the main
 * thread. JLine's reader serialises printing and redrawing under its own lock; the prompt is changed
 * only inside a widget, which runs under that lock.
 */
final class JLineConsole implements Console {
    private static final String REFRESH_WIDGET = "hermes-refresh";
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK);
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
            protected void cleanup() {
                // ERASE_LINE_ON_FINISH erases the prompt and the typed text but would redraw the right
                // prompt, leaving it behind on the line the next printAbove writes to.
                rightPrompt = AttributedString.EMPTY;
                super.cleanup();
            }
        };
        reader.setHistory(new DefaultHistory());
        reader.setCompleter(new StringsCompleter(HelpText.commandWords()));
        // Chat is free text: no !history expansion, no backslash escapes, no continuation lines.
        reader.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        // The typed line is replaced by its timestamped echo, so the screen reads as one timeline.
        reader.option(LineReader.Option.ERASE_LINE_ON_FINISH, true);
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
                if (!closing) {
                    signals.accept(new Signal.Interrupt());
                }
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
            reader.printAbove(line);
        }
        refresh();
    }

    @Override
    public void showExecAnswered(ServerEvent.ExecRequest request, String result) {
        reader.printAbove(formatter.execAnswered(request, result));
    }

    @Override
    public void showSent(String line) {
        reader.printAbove(formatter.sent(line, currentName()));
    }

    @Override
    public void help() {
        for (String line : HelpText.lines(builtins)) {
            reader.printAbove(new AttributedString(line, DIM));
        }
    }

    @Override
    public void notice(String text) {
        reader.printAbove(formatter.note(text));
    }

    @Override
    public void warn(String text) {
        reader.printAbove(formatter.warning(text));
    }

    @Override
    public void error(String text) {
        reader.printAbove(formatter.error(text));
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
