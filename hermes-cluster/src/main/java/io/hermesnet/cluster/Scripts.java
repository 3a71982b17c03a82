package io.hermesnet.cluster;

/**
 * The Lua scripts (docs/cluster.md "Scripts"): each runs atomically in Redis, so the checks and the
 * writes they guard cannot interleave with another node's.
 */
final class Scripts {
    private Scripts() {
    }

    /**
     * The announcement of one appended entry on the feed channel (docs/cluster.md "Reading"), as a Lua
     * function every script that adds to a stream starts with: {@code <n> <entry id> L} for a log entry,
     * {@code <n> <entry id> C <floor> <node> <run>} for a chat entry, where {@code n} counts the
     * announcements (the feed-seq key) so that a node sees when it missed one. Node ids hold no space
     * ({@link RedisCluster#open} checks them); the run is the rest of the message.
     */
    static final String FEED = """
            local function feed(seqkey, channel, id, rest)
              local n = redis.call('INCR', seqkey)
              redis.call('PUBLISH', channel, string.format('%d', n) .. ' ' .. id .. ' ' .. rest)
            end
            """;

    /**
     * Appends a batch of entries — one sender round trip, in queue order, each to the log or the chat
     * stream — skipping duplicates. Lettuce re-sends commands that were in flight when a connection broke
     * (at least once), and this node re-sends a batch whose answer it did not get, unchanged; the per-node
     * (incarnation, sequence) pair makes every entry land exactly once. One call per batch, and a run of
     * chat lines as one chat entry (by its last line's sequence): the per-call and per-entry costs in
     * Redis, not the bytes, limited a node's chat throughput (docs/performance.md "Cluster"). The batch is
     * atomic.
     *
     * <p>Each chat entry gets a {@code floor} field: the last log entry this node appended before it. A line
     * is applied elsewhere after the later of its own {@code after} (the last log entry its node had applied
     * when it relayed the line) and the floor: a client's first line, sent on its {@code WELCOME}, can be
     * published before its node has recorded the join as applied, and a node that read the join and the line
     * together would otherwise apply the line first and drop it, its sender still unknown there. What a
     * node appended before a line is in the log before the line is.
     *
     * <p>Every entry appended is announced on the feed channel ({@link #FEED}); a chat entry's announcement
     * carries the entry, so that the other nodes need not read it back.
     *
     * <p>KEYS: seqs, epoch, log, chat, feed-seq, feed (the channel, named like a key for its hash tag).
     * ARGV: epoch, node, incarnation, then per entry: stream (1 log, 2 chat), seq, maxlen (0: untrimmed),
     * number of field arguments, the fields (for chat: {@code node <node> n <count> lines <run>}).
     * Returns the number of entries appended (the rest were duplicates), or -1 when the epoch is not ours.
     */
    static final String APPEND = FEED + """
            if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
            local fi, fs, fl = ARGV[2] .. ':i', ARGV[2] .. ':s', ARGV[2] .. ':l'
            local inc = tonumber(ARGV[3])
            local si = tonumber(redis.call('HGET', KEYS[1], fi) or '0')
            local ss = tonumber(redis.call('HGET', KEYS[1], fs) or '0')
            local lastlog = redis.call('HGET', KEYS[1], fl) or '0-0'
            if inc < si then return 0 end
            if inc > si then ss = 0 end
            local i, n = 4, 0
            while i <= #ARGV do
              local stream = tonumber(ARGV[i])
              local seq, maxlen, nf = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
              local first, last = i + 4, i + 3 + nf
              if seq > ss then
                if stream == 1 then
                  lastlog = redis.call('XADD', KEYS[3], '*', unpack(ARGV, first, last))
                  feed(KEYS[5], KEYS[6], lastlog, 'L')
                else
                  local id
                  if maxlen > 0 then
                    id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', maxlen, '*', 'floor', lastlog, unpack(ARGV, first, last))
                  else
                    id = redis.call('XADD', KEYS[4], '*', 'floor', lastlog, unpack(ARGV, first, last))
                  end
                  feed(KEYS[5], KEYS[6], id, 'C ' .. lastlog .. ' ' .. ARGV[2] .. ' ' .. ARGV[last])
                end
                ss = seq
                n = n + 1
              end
              i = last + 1
            end
            if n > 0 then redis.call('HSET', KEYS[1], fi, ARGV[3], fs, ss, fl, lastlog) end
            return n
            """;

    /**
     * This node's heartbeat, and the reaping of nodes whose heartbeat expired: each gets one
     * {@code node-down} entry, guarded by its down marker (SET only if absent), which holds the entry's id.
     * A node whose marker is set is dead until it rejoins (ARGV rejoin = 1, once it has applied its own
     * {@code node-down}).
     * It also checks that the log still holds the last entry this node applied (ARGV applied): after a
     * Redis crash that lost its last writes (AOF fsync every second) a node that had applied them would
     * hold a state no other node can reach.
     * KEYS: epoch, nodes, log, feed-seq, feed. ARGV: epoch, key prefix, node, ttl ms, rejoin (1/0), applied
     * entry id.
     * Returns "ok", "epoch" (Redis lost the data), "lost" (Redis lost entries this node applied) or
     * "down:<entry id>".
     */
    static final String HEARTBEAT = FEED + """
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
                  feed(KEYS[4], KEYS[5], id, 'L')
                  redis.call('SET', p .. 'down:' .. n, id)
                end
              end
            end
            return 'ok'
            """;
}
