package io.hermesnet.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The EXECs waiting for a {@code /result} (docs/protocol.md §3.6) and the last EXEC id given out. Owned by the
 * {@link HermesHub}'s applier. The {@code --exec-timeout} timer of an EXEC is this server's only when
 * its issuer is connected here; the issuer's server ends it with an {@code ExecExpired} event.
 */
final class PendingExecs {
    /** An EXEC waiting for its {@code /result}. */
    static final class Pending {
        final long id;
        final Session issuer;
        final Session target;
        ScheduledFuture<?> timer; // this server's, when the issuer is connected here and timeouts are on

        Pending(long id, Session issuer, Session target) {
            this.id = id;
            this.issuer = issuer;
            this.target = target;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private long lastExecId;
    private final Map<Long, Pending> byId = new HashMap<>();

    /** Records a new EXEC from {@code issuer} to {@code target} under the next id. */
    Pending add(Session issuer, Session target) {
        Pending p = new Pending(++lastExecId, issuer, target);
        byId.put(p.id, p);
        return p;
    }

    Pending get(long execId) {
        return byId.get(execId);
    }

    /** Removes EXEC {@code execId} and cancels its timer; null if it was not pending. */
    Pending remove(long execId) {
        Pending p = byId.remove(execId);
        if (p != null) {
            p.cancelTimer();
        }
        return p;
    }

    /** Removes, timers cancelled, every EXEC from or to {@code s}, in id order. */
    List<Pending> removeAllOf(Session s) {
        List<Pending> ended = new ArrayList<>();
        for (Iterator<Pending> it = byId.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.issuer == s || p.target == s) {
                it.remove();
                p.cancelTimer();
                ended.add(p);
            }
        }
        ended.sort((a, b) -> Long.compare(a.id, b.id));
        return ended;
    }

    int size() {
        return byId.size();
    }
}
