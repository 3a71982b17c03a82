package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolFormatter;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The console for scripts and tests (stdin is not a terminal): no prompt and no formatting. Every line
 * received is printed to {@code out} as it came on the wire, one per line, flushed at once; warnings and
 * errors go to {@code err}; input is read as UTF-8 lines.
 */
final class PipedConsole implements Console {
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;

    PipedConsole(InputStream in, PrintWriter out, PrintWriter err) {
        this.in = in;
        this.out = out;
        this.err = err;
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
    public void show(ServerEvent event) {
        print(out, ProtocolFormatter.format(event));
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
