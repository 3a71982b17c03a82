package io.hermesnet.server.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs JVM signal handlers ({@code sun.misc.Signal}, module {@code jdk.unsupported}) for SIGINT,
 * SIGTERM, SIGUSR1, SIGUSR2 (docs/protocol.md §3.9) and SIGHUP (TLS reload, docs/protocol.md §6.1). The JVM calls the handler on its own short-lived
 * signal-dispatch thread. A signal the JVM or OS keeps for itself (for example under {@code java -Xrs})
 * is skipped with a warning; a shutdown signal that the parent process ignored (as {@code nohup} does)
 * stays ignored, which is the POSIX convention.
 */
public final class PosixSignals implements SignalInstaller {
    private static final Logger log = LogManager.getLogger(PosixSignals.class);

    /** The stateless installer. */
    public static final PosixSignals INSTANCE = new PosixSignals();

    private PosixSignals() {
    }

    @Override
    public Registration install(Consumer<AdminSignal> handler) {
        List<Runnable> restore = new ArrayList<>();
        for (AdminSignal s : AdminSignal.values()) {
            Signal signal = new Signal(s.name());
            try {
                SignalHandler previous = Signal.handle(signal, sig -> handler.accept(s));
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                log.warn("Cannot handle {}: {}", s.signalName(), e.getMessage());
            }
        }
        return () -> restore.forEach(Runnable::run);
    }
}
