package io.hermesnet.server.cli;

import org.apache.logging.log4j.LogManager;

/**
 * Entry point of the {@code hermes-server} launcher (docs/protocol.md §4): runs {@link HermesServerCommand} and
 * exits with its code (0 normal stop, 1 cannot listen, 2 bad arguments).
 */
public final class HermesServerMain {
    private HermesServerMain() {
    }

    /**
     * Parses {@code args}, runs the server until a stop signal, shuts log4j down last (the
     * configuration disables its shutdown hook so the final STATE lines are never lost) and exits.
     */
    public static void main(String[] args) {
        int code = HermesServerCommand.commandLine(new HermesServerCommand()).execute(args);
        LogManager.shutdown();
        System.exit(code);
    }
}
