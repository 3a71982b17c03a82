package io.hermesnet.cluster;

import io.hermesnet.state.TickSource;
import io.hermesnet.telemetry.HermesMarkers;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * The {@code ID} values of a cluster (docs/protocol.md §3.2, §6.4): each node leases blocks of
 * {@code blockSize} values of the cluster's counter with {@code INCRBY}, so no two nodes hand out the same
 * value; a value is the counter modulo 2<sup>32</sup> (unsigned 32-bit, wrapping to 0).
 *
 * <p>Threading: {@link #nextTick} is called from any thread and never blocks: the next block is leased
 * ahead, when half of the current one is used. If Redis has not answered by the time the current block
 * is used up (a node cut off for long — it is unavailable by then and its clients are being closed),
 * the values go on past the block's end, which another node may also hand out; this is logged once.
 */
public final class RedisTickSource implements TickSource {
    private static final Logger log = LogManager.getLogger(RedisTickSource.class);

    private final RedisAsyncCommands<String, String> commands;
    private final String key;
    private final int blockSize;

    // guarded by this
    private long next;       // the next counter value to hand out
    private long end;        // the end (exclusive) of the current block
    private long spareStart = -1; // a leased block not yet in use; -1: none
    private boolean leasing;
    private boolean overrunLogged;

    /**
     * A tick source over {@code key}, starting with the block {@code [firstEnd - blockSize, firstEnd)}
     * (leased by the caller, so the first values need no wait).
     */
    RedisTickSource(RedisAsyncCommands<String, String> commands, String key, int blockSize, long firstEnd) {
        if (blockSize < 2) {
            throw new IllegalArgumentException("block size must be at least 2: " + blockSize);
        }
        this.commands = commands;
        this.key = key;
        this.blockSize = blockSize;
        this.end = firstEnd;
        this.next = firstEnd - blockSize;
    }

    /** Leases the first block: blocks up to {@code timeoutMillis}; for {@link RedisCluster#open}. */
    static RedisTickSource lease(RedisAsyncCommands<String, String> commands, String key, int blockSize,
                                 long timeoutMillis) throws Exception {
        long end = commands.incrby(key, blockSize).get(timeoutMillis, TimeUnit.MILLISECONDS);
        return new RedisTickSource(commands, key, blockSize, end);
    }

    @Override
    public long nextTick() {
        long value;
        boolean lease = false;
        synchronized (this) {
            if (next >= end && spareStart >= 0) {
                next = spareStart;
                end = spareStart + blockSize;
                spareStart = -1;
            }
            if (next >= end && !overrunLogged) {
                overrunLogged = true;
                log.warn(HermesMarkers.STATE, "Cluster: no ID block leased in time (Redis unreachable); ID values may repeat another node's");
            }
            value = next++;
            if (spareStart < 0 && !leasing && end - next <= blockSize / 2) {
                leasing = true;
                lease = true;
            }
        }
        if (lease) {
            leaseAhead();
        }
        return value & 0xFFFF_FFFFL;
    }

    private void leaseAhead() {
        commands.incrby(key, blockSize).whenComplete((blockEnd, error) -> {
            synchronized (this) {
                leasing = false;
                if (error == null) {
                    spareStart = blockEnd - blockSize;
                    overrunLogged = false;
                }
            }
            if (error != null) {
                log.warn(HermesMarkers.STATE, "Cluster: leasing an ID block failed: {}", error.toString());
            }
        });
    }
}
