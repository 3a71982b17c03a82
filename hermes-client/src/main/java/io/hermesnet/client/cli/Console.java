package io.hermesnet.client.cli;

import io.hermesnet.client.ClientState;
import io.hermesnet.protocol.ServerEvent;

import java.util.function.Consumer;

/**
 * Where the client meets its user: {@link JLineConsole} in a terminal, {@link PipedConsole} when stdin
 * is not one. Output methods may be called from any thread (the event loop shows events while the main
 * thread reports on connecting); input is read on the console's own thread.
 */
interface Console extends AutoCloseable {

    /** Whether this is the interactive console (local {@code /help}, prompt, formatted lines). */
    boolean interactive();

    /**
     * Starts reading input on a daemon thread: each line becomes {@link Signal.Line}, the end of input
     * {@link Signal.EndOfInput}, Ctrl-C {@link Signal.Interrupt}. Reading stops after the end of input,
     * after Ctrl-C and after a line that logs out.
     */
    void startInput(Consumer<Signal> signals);

    /** The state of the current connection, for the prompt; {@code null} while not connected. */
    void attach(ClientState state);

    /** Shows one line from the server. */
    void show(ServerEvent event);

    /** Shows that this client answered an EXEC with {@code result}. */
    void showExecAnswered(ServerEvent.ExecRequest request, String result);

    /**
     * One server line exactly as received, before {@link #show}; printed verbatim by the piped console
     * with {@code --raw}, ignored otherwise.
     */
    default void showRaw(String line) {
    }

    /** Shows a line the user sent (the interactive console erases the typed line and shows this instead). */
    void showSent(String line);

    /** Shows that the server refused {@code line} with {@code error}, instead of the bare error. */
    void showRefused(String line, ServerEvent.Error error);

    /** The client's own part of {@code /help} (keys), shown before the server's answer. */
    void help();

    /** The command list, for a server that does not answer {@code /help}. */
    void helpCommands();

    /** A progress note such as "connecting"; the piped console keeps these off its output. */
    void notice(String text);

    /** A warning the user should see in every mode, such as a retry after a failure. */
    void warn(String text);

    /** The one clear line about why the client gives up. */
    void error(String text);

    /** Stops reading input and gives the terminal back. */
    @Override
    void close();
}
