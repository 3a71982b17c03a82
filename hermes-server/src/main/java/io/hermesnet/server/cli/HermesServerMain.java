package io.hermesnet.server.cli;

import org.apache.logging.log4j.LogManager;

/**
 * Entry point of the {@code hermes-server} launcher (docs/protocol.md §4): runs {@link HermesServerCommand} and
 * exits with its code (0 normal stop, 1 cannot listen, 2 bad arguments).
 */
public final class HermesServerMain {
    /**
     * The longest the log flush at exit may take, in ms: docs/protocol.md §3.9 gives the whole shutdown the
     * timeout plus 1 s; the server's own stop takes up to a quarter of that second
     * ({@code HermesServer.SHUTDOWN_GRACE_MS}) and the JVM's exit needs the rest.
     */
    static final long LOG_FLUSH_MS = 200;

    private HermesServerMain() {
    }

    /**
     * Parses {@code args}, runs the server until a stop signal, shuts log4j down last (the
     * configuration disables its shutdown hook so the final STATE lines are not lost) and exits. The flush
     * is bounded by {@link #LOG_FLUSH_MS}: log4j waits up to 10 s for its queue to drain, and an output that
     * does not take lines (a paused terminal, a full pipe) would hold the exit that long; past the bound the
     * lines still queued are lost.
     */
    public static void main(String[] args) throws InterruptedException {
        int code = HermesServerCommand.commandLine(new HermesServerCommand()).execute(args);
        Thread flush = new Thread(LogManager::shutdown, "log-flush");
        flush.setDaemon(true);
        flush.start();
        flush.join(LOG_FLUSH_MS);
        System.exit(code);
    }
}
