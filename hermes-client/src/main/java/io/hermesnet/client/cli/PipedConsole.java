package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;
import org.jline.utils.AttributedString;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The console for scripts and tests (stdin is not a terminal): no prompt, no colours, one line per
 * event, flushed at once. By default each event is printed as the interactive console words it, without
 * colours ({@code 10:30:45 <alice> hi}, the {@code WHO} list, refusals with their line); with
 * {@code raw}, every line received is printed exactly as it came on the wire instead. Warnings and errors
 * go to {@code err}; input is read as UTF-8 lines.
 */
final class PipedConsole implements Console {
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean raw;
    private final EventFormatter formatter;

    /** A raw console: server lines printed as received. */
    PipedConsole(InputStream in, PrintWriter out, PrintWriter err) {
        this(in, out, err, true, Clock.systemDefaultZone());
    }

    /**
     * @param raw   print server lines exactly as received instead of worded
     * @param clock the time printed in front of worded lines
     */
    PipedConsole(InputStream in, PrintWriter out, PrintWriter err, boolean raw, Clock clock) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.raw = raw;
        this.formatter = new EventFormatter(clock);
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void startInput(Consumer<Signal> signals) {
        Thread reader = new Thread(() -> read(signals), "hermes-client-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<Signal> signals) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                signals.accept(new Signal.Line(line));
                if (ProtocolParser.parseCommand(line) instanceof ClientCommand.Logout) {
                    return;
                }
            }
        } catch (IOException e) {
            // an unreadable stdin ends the input like EOF does
        }
        signals.accept(new Signal.EndOfInput());
    }

    @Override
    public void attach(ClientState state) {
    }

    @Override
    public void showRaw(String line) {
        if (raw) {
            print(out, line);
        }
    }

    @Override
    public void show(ServerEvent event) {
        if (!raw) {
            AttributedString line = formatter.format(event);
            if (line != null) {
                print(out, line.toString());
            }
        }
    }

    @Override
    public void showRefused(String line, ServerEvent.Error error) {
        if (!raw) {
            print(out, formatter.refused(line, error).toString());
        }
    }

    @Override
    public void showExecAnswered(ServerEvent.ExecRequest request, String result) {
    }

    @Override
    public void showSent(String line) {
    }

    @Override
    public void help() {
    }

    @Override
    public void helpCommands() {
    }

    @Override
    public void notice(String text) {
    }

    @Override
    public void warn(String text) {
        print(err, text);
    }

    @Override
    public void error(String text) {
        print(err, text);
    }

    private static void print(PrintWriter w, String line) {
        synchronized (w) {
            w.println(line);
            w.flush();
        }
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
    }
}
