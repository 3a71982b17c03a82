package io.hermesnet.server.cli;

import java.util.function.Consumer;

/**
 * Routes {@link AdminSignal}s to a handler. {@link PosixSignals} is the real one; tests pass their own
 * so that they can raise a signal without signalling the test JVM.
 */
@FunctionalInterface
public interface SignalInstaller {
    /**
     * Starts delivering signals to {@code handler} (on a thread of the installer's choosing; the
     * handler must not block for long).
     *
     * @return restores the previous handling when closed; never throws
     */
    Registration install(Consumer<AdminSignal> handler);

    /** An installed set of signal handlers. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** Restores the handling that was in place before {@link #install}. */
        @Override
        void close();
    }
}
