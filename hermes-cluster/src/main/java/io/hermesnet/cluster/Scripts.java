package io.hermesnet.cluster;

/**
 * The Lua scripts (docs/cluster.md "Scripts"): each runs atomically in Redis, so the checks and the
 * writes they guard cannot interleave with another node's.
 */
final class Scripts {
    private Scripts() {
    }

    /**
     * Appends one entry to a stream unless it is a duplicate. Lettuce re-sends commands that were in flight
     * when a connection broke (at least once), and this node re-sends a batch whose answer it did not
     * get; the per-node (incarnation, sequence) pair makes every entry land exactly once.
     * KEYS: stream, seqs, epoch. ARGV: epoch, node, incarnation, seq, maxlen (0: untrimmed), fields...
     * Returns 1 appended, 0 duplicate, -1 the epoch is not ours (Redis lost the data).
     */
    static final String APPEND = """
            if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
            local fi, fs = ARGV[2] .. ':i', ARGV[2] .. ':s'
            local inc, seq = tonumber(ARGV[3]), tonumber(ARGV[4])
            local si = tonumber(redis.call('HGET', KEYS[2], fi) or '0')
            local ss = tonumber(redis.call('HGET', KEYS[2], fs) or '0')
            if inc < si or (inc == si and seq <= ss) then return 0 end
            redis.call('HSET', KEYS[2], fi, ARGV[3], fs, ARGV[4])
            local maxlen = tonumber(ARGV[5])
            if maxlen > 0 then
              redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', unpack(ARGV, 6))
            else
              redis.call('XADD', KEYS[1], '*', unpack(ARGV, 6))
            end
            return 1
            """;

    /**
     * This node's heartbeat, and the reaping of nodes whose heartbeat expired: each gets one
     * {@code node-down} entry, guarded by its down marker (SET only if absent), which holds the entry's id.
     * A node whose marker is set is dead until it rejoins (ARGV rejoin = 1, once it has applied its own
     * {@code node-down}).
     * KEYS: epoch, nodes, log. ARGV: epoch, key prefix, node, ttl ms, rejoin (1/0).
     * Returns "ok", "epoch" (Redis lost the data) or "down:<entry id>".
     */
    static final String HEARTBEAT = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'epoch' end
            local p, me = ARGV[2], ARGV[3]
            if ARGV[5] == '1' then
              redis.call('DEL', p .. 'down:' .. me)
            else
              local down = redis.call('GET', p .. 'down:' .. me)
              if down then return 'down:' .. down end
            end
            redis.call('SET', p .. 'hb:' .. me, '1', 'PX', ARGV[4])
            redis.call('SADD', KEYS[2], me)
            for _, n in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              if redis.call('EXISTS', p .. 'hb:' .. n) == 0 then
                redis.call('SREM', KEYS[2], n)
                if redis.call('EXISTS', p .. 'down:' .. n) == 0 then
                  local id = redis.call('XADD', KEYS[3], '*', 'type', 'node-down', 'node', n)
                  redis.call('SET', p .. 'down:' .. n, id)
                end
              end
            end
            return 'ok'
            """;
}
