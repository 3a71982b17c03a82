package io.hermesnet.server.cli;

import io.hermesnet.server.HermesServer;

/**
 * The POSIX signals {@code hermes-server} reacts to (docs/protocol.md §3.9) and what each one asks for.
 */
public enum AdminSignal {
    /** Ctrl-C: graceful shutdown with {@code BYE Thank you}. */
    INT(HermesServer.THANK_YOU),
    /** {@code kill PID}: graceful shutdown with {@code BYE Thank you}. */
    TERM(HermesServer.THANK_YOU),
    /** {@code kill -USR1 PID}: {@code BYE THE SERVER WILL DISCONNECT} to every client, then the same shutdown. */
    USR1(HermesServer.WILL_DISCONNECT),
    /** {@code kill -USR2 PID}: log the client table; the server keeps running. */
    USR2(null),
    /** {@code kill -HUP PID}: reload the TLS certificate and key from disk; the server keeps running. */
    HUP(null);

    private final String byeText;

    AdminSignal(String byeText) {
        this.byeText = byeText;
    }

    /** Whether this signal stops the server. */
    public boolean stops() {
        return byeText != null;
    }

    /**
     * The text of the {@code BYE} line this signal's shutdown sends.
     *
     * @throws IllegalStateException for {@link #USR2} and {@link #HUP}, which do not stop the server
     */
    public String byeText() {
        if (byeText == null) {
            throw new IllegalStateException(this + " does not stop the server");
        }
        return byeText;
    }

    /** The conventional name, e.g. {@code SIGTERM}. */
    public String signalName() {
        return "SIG" + name();
    }
}
