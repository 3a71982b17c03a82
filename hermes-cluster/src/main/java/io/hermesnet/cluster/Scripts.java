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
     * It also checks that the log still holds the last entry this node applied (ARGV applied): after a
     * Redis crash that lost its last writes (AOF fsync every second) a node that had applied them would
     * hold a state no other node can reach.
     * KEYS: epoch, nodes, log. ARGV: epoch, key prefix, node, ttl ms, rejoin (1/0), applied entry id.
     * Returns "ok", "epoch" (Redis lost the data), "lost" (Redis lost entries this node applied) or
     * "down:<entry id>".
     */
    static final String HEARTBEAT = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'epoch' end
            if ARGV[6] ~= '0-0' then
              local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)[1]
              local ams, aseq = string.match(ARGV[6], '(%d+)-(%d+)')
              if not last then return 'lost' end
              local lms, lseq = string.match(last[1], '(%d+)-(%d+)')
              ams, aseq, lms, lseq = tonumber(ams), tonumber(aseq), tonumber(lms), tonumber(lseq)
              if lms < ams or (lms == ams and lseq < aseq) then return 'lost' end
            end
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
