package io.hermesnet.state;

import java.util.Objects;

/**
 * The {@link StateLog} of one server: an event is applied inside {@link #append}, under a lock, so
 * appends from any event loop are applied in one total order. The lock is held only while the applier
 * changes memory and queues lines; it does no I/O.
 */
public final class LocalStateLog implements StateLog {
    private final Object lock = new Object();
    private final String nodeId;
    private Applier applier; // guarded by lock

    /** A log for a server named {@code nodeId} (what {@code /clients} shows as the node). */
    public LocalStateLog(String nodeId) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    @Override
    public void start(Applier applier) {
        synchronized (lock) {
            if (this.applier != null) {
                throw new IllegalStateException("already started");
            }
            this.applier = Objects.requireNonNull(applier, "applier");
        }
    }

    /**
     * Applies {@code event} now, on the calling thread.
     *
     * @throws IllegalStateException before {@link #start}
     */
    @Override
    public void append(StateEvent event) {
        synchronized (lock) {
            if (applier == null) {
                throw new IllegalStateException("not started");
            }
            applier.apply(event);
        }
    }

    /** Runs {@code read} under the same lock as the applier: a consistent view of the state. */
    public <T> T read(java.util.function.Supplier<T> read) {
        synchronized (lock) {
            return read.get();
        }
    }

    /**
     * This process's node id, {@code host-pid}: what {@code /clients} shows as every client's node. The
     * host name is the {@code HOSTNAME} environment variable or the local host's name.
     */
    public static String defaultNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public boolean appliesInline() {
        return true;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }
}
