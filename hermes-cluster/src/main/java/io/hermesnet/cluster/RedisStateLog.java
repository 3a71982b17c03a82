package io.hermesnet.cluster;

import io.hermesnet.state.StateEvent;
import io.hermesnet.state.StateLog;
import io.hermesnet.telemetry.HermesMarkers;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link StateLog} of a cluster on Redis (docs/protocol.md §6.4, docs/cluster.md): every node appends
 * its {@link StateEvent}s to one Redis Stream, {@code hermes:{name}:log}, and every node applies that
 * stream from its first entry, in stream order, so all nodes reach the same members, ranks, rooms, turns
 * and EXECs. Chat outside turn mode ({@link #publish}) goes through a second, trimmed stream and is
 * applied where its sender's node stood in the log when it was sent.
 *
 * <p><b>Threads.</b> {@link #append} and {@link #publish} queue the entry (any thread, never block) and,
 * when no call is in flight, start one. The queue goes to Redis in order, a batch per
 * {@link Scripts#APPEND} call, one call at a time, each started by the answer to the last on the log
 * connection's I/O thread (a server event loop when hermes-server lends its loops, docs/cluster.md
 * "Threads"); what was not confirmed is re-sent, so a Redis blip loses nothing and duplicates nothing. The
 * reader follows the feed, the Pub/Sub channel on which the scripts announce every entry they append (a
 * chat entry with its content), and applies each announcement in its callback on the same connection's
 * I/O thread: no round trip and no thread of our own per line (docs/performance.md "Cluster"). It reads
 * the streams themselves ({@code XREAD} from the last entry applied, on the same connection) to catch up:
 * at start, for a log entry (announced without its fields), and when the announcements' numbering shows
 * it missed some (docs/cluster.md "Reading"). After a failure both go again, backing off, from a timer
 * thread. One heartbeat thread refreshes this node's heartbeat every node timeout / 3 and appends
 * {@code node-down} for nodes whose heartbeat expired ({@link Scripts#HEARTBEAT}).
 *
 * <p><b>Availability.</b> {@link #isAvailable()} is false until the log has been applied up to its end at
 * start, while this node has not heard from Redis for longer than the node timeout, while the cluster
 * has declared this node dead (until it has applied its own {@code node-down} and rejoined), and for
 * good once Redis has lost the cluster's data (another epoch; docs/cluster.md "Failures").
 */
public final class RedisStateLog implements StateLog {
    private static final Logger log = LogManager.getLogger(RedisStateLog.class);

    /** Entries read per stream and {@code XREAD}. */
    static final int READ_BATCH = 256;
    /** Entries sent per round trip of the sender, in one script call. */
    static final int SEND_BATCH = 1024;
    /** How many chat entries Redis keeps, about ({@code MAXLEN ~}). */
    static final long CHAT_MAXLEN = 100_000;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final ClusterKeys keys;
    private final String nodeId;
    private final String epoch;
    private final long incarnation;
    private final long timeoutNanos;
    // the log connection: appends, the feed and catch-up reads (docs/cluster.md "Threads")
    private final RedisPubSubAsyncCommands<String, String> commands;
    private final RedisAsyncCommands<String, String> heartbeatCommands;
    private final String appendSha;

    // appends: seq order = queue order (guarded by queueLock)
    private final Object queueLock = new Object();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long lastSeq;
    private boolean sending; // an append call is in flight, or waits to be retried

    // the sender's and reader's chains: one step at a time, each step's writes seen by the next
    private volatile boolean sendFailing;
    private volatile long sendBackoff = 50;
    private volatile boolean readFailing;
    private volatile long readBackoff = 50;
    private final ScheduledExecutorService timer;

    // the reader's: the log connection's I/O thread (one step of its chain at a time; a round retried after
    // a failure starts on the timer, ordered by its hand-off), but appliedLogId is read by publish()
    private String logCursor = StreamIds.ZERO;
    private String chatCursor;
    private final ArrayDeque<HeldChat> heldChats = new ArrayDeque<>();
    private boolean catchingUp = true;      // a catch-up is under way: announcements wait in the inbox
    private final ArrayDeque<Feed> inbox = new ArrayDeque<>();
    private long lastFeedSeq = -1;         // the number of the last announcement received or covered
    private volatile boolean gap;          // announcements missed since the last round's count
    private volatile String appliedLogId = StreamIds.ZERO;

    private volatile Applier applier;
    private volatile boolean caughtUp;
    private final java.util.concurrent.CountDownLatch caughtUpLatch = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean dataLost;
    private volatile String downEntryId; // non-null while the cluster holds this node dead
    private volatile long lastContactNanos;
    private volatile boolean closed;
    // heartbeats Redis answered: each ran the dead-node check (Scripts.HEARTBEAT); read by tests
    private final java.util.concurrent.atomic.AtomicLong heartbeats = new java.util.concurrent.atomic.AtomicLong();
    // notified after every batch applied, heartbeat attempt, data loss and stop: see awaitCondition
    private final Object changes = new Object();
    private final Thread heartbeat;

    /** A queued entry: a log entry's field-value pairs, or one chat line (a run of them becomes one chat entry). */
    private record Entry(String stream, long seq, long maxlen, String[] fields, ChatRun.Line line) {
        boolean isChat() {
            return line != null;
        }
    }

    /** Another node's chat line read from the chat stream, held until this node has applied the log up to {@code after}. */
    private record HeldChat(String after, long clientId, String text) {
    }

    /**
     * A log over the given connections; {@link RedisCluster#open} makes them. The first heartbeat (with
     * rejoin) has been done by the caller, which sets the contact time.
     *
     * @param chatStart the chat stream's last entry id when this node started: older chat is not replayed
     */
    RedisStateLog(ClusterKeys keys, String nodeId, String epoch, long incarnation, Duration nodeTimeout,
                  RedisPubSubAsyncCommands<String, String> commands,
                  RedisAsyncCommands<String, String> heartbeatCommands, String chatStart) {
        this.keys = keys;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.epoch = epoch;
        this.incarnation = incarnation;
        this.timeoutNanos = nodeTimeout.toNanos();
        this.commands = commands;
        this.heartbeatCommands = heartbeatCommands;
        this.appendSha = commands.digest(Scripts.APPEND);
        this.chatCursor = chatStart;
        this.lastContactNanos = System.nanoTime();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hermes-cluster-timer");
            t.setDaemon(true);
            return t;
        });
        this.heartbeat = new Thread(this::heartbeatLoop, "hermes-cluster-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /**
     * Starts applying: the reader applies the log from its first entry, then follows it.
     *
     * @throws IllegalStateException when already started
     */
    @Override
    public void start(Applier applier) {
        synchronized (queueLock) {
            if (this.applier != null) {
                throw new IllegalStateException("already started");
            }
            this.applier = Objects.requireNonNull(applier, "applier");
        }
        commands.getStatefulConnection().addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onFeed(message);
            }
        });
        subscribe(); // before the first round: what the round does not cover is announced after it
        readNext();
    }

    /** Queues {@code event} for the log; it is applied when it comes back in the log's order. Never blocks. */
    @Override
    public void append(StateEvent event) {
        enqueue(keys.log, 0, EventCodec.encode(event));
    }

    /**
     * Queues a chat line outside turn mode for the chat stream, with the id of the last log entry this
     * node applied: every other node applies it right after that entry (or after the last entry this node
     * had appended before it, if that is later: {@link Scripts#APPEND}), in the state this node had when it
     * relayed the line to its own clients. Never blocks.
     */
    @Override
    public void publish(StateEvent.Chat chat) {
        enqueue(keys.chat, CHAT_MAXLEN, null, new ChatRun.Line(appliedLogId, chat.clientId(), chat.text()));
    }

    private void enqueue(String stream, long maxlen, Map<String, String> fields) {
        String[] flat = new String[fields.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            flat[i++] = e.getKey();
            flat[i++] = e.getValue();
        }
        enqueue(stream, maxlen, flat, null);
    }

    /** Queues an entry: for the log, field-value pairs; for chat, its line. */
    private void enqueue(String stream, long maxlen, String[] flat, ChatRun.Line line) {
        synchronized (queueLock) {
            if (closed || dataLost) {
                return;
            }
            queue.add(new Entry(stream, ++lastSeq, maxlen, flat, line));
            if (sending) {
                return; // the answer to the call in flight sends it
            }
            sending = true;
        }
        sendNext(null);
    }

    @Override
    public boolean appliesInline() {
        return false;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean isAvailable() {
        return caughtUp && !dataLost && downEntryId == null && !closed
                && System.nanoTime() - lastContactNanos <= timeoutNanos;
    }

    /**
     * Waits until the log has been applied to its end as it stood at start (after {@link #start}), at most
     * {@code timeout}; then answers {@link #isAvailable()}. Blocks; not on an event loop.
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUpLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && isAvailable();
    }

    /** Whether Redis lost the cluster's data (docs/cluster.md "Failures"): this node stays unavailable. */
    public boolean hasLostData() {
        return dataLost;
    }

    /** Entries queued and not yet confirmed by Redis. */
    public int pendingAppends() {
        synchronized (queueLock) {
            return queue.size();
        }
    }

    /**
     * Stops: waits up to {@code drain} for the queued entries to reach Redis, stops the heartbeat (the
     * other nodes append this node's {@code node-down} once its heartbeat key expires, or at once when it
     * is deleted here after a full drain) and the threads. Blocks; not on an event loop.
     */
    void close(Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        synchronized (queueLock) {
            while (!queue.isEmpty() && !dataLost && System.nanoTime() < deadline) {
                try {
                    queueLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            queueLock.notifyAll();
        }
        changed();
        heartbeat.interrupt();
        timer.shutdownNow();
        try {
            heartbeat.join(TimeUnit.NANOSECONDS.toMillis(Math.max(deadline - System.nanoTime(), 0)) + 3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pendingAppends() == 0 && !dataLost) {
            try { // its clients have left: the others may append its node-down at once
                heartbeatCommands.del(keys.heartbeat(nodeId)).get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("heartbeat key not deleted: {}", e.toString());
            }
        }
    }

    /** How many heartbeats Redis has answered, each with its check for dead nodes: for tests to await rounds. */
    long heartbeats() {
        return heartbeats.get();
    }

    /**
     * Waits until {@code condition} holds, at most {@code timeout}: for tests, which await what this log
     * does (availability, data loss, heartbeat rounds, the state of the hub it applies to) instead of
     * polling. The condition is checked now and again after every batch of entries this log applies,
     * every heartbeat attempt (answered or not, so at least every node timeout / 3 while running; the
     * moment Redis has been silent for longer than the timeout is noticed by the next attempt), data
     * loss and stop. Blocks; not on an event loop.
     *
     * @return whether the condition held in time
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changes, left);
            }
            return true;
        }
    }

    private void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** Stops the threads at once, as a killed process would: nothing drained, the heartbeat key left to expire. */
    void halt() {
        synchronized (queueLock) {
            closed = true;
            queueLock.notifyAll();
        }
        changed();
        heartbeat.interrupt();
        timer.shutdownNow();
        try {
            heartbeat.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} with 2 s to drain. */
    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    // ---------------------------------------------------------------- sender

    /**
     * Sends the next batch, or {@code retry} again: one {@link Scripts#APPEND} call in flight at a time, the
     * next started by the answer to the last on the connection's I/O thread, so a line costs no hand-off to a
     * thread of our own. Runs on whatever thread started the chain (an event loop that queued into an idle
     * log), the connection's I/O thread, or the timer after a failure; never blocks.
     */
    private void sendNext(List<Entry> retry) {
        List<Entry> batch = retry;
        if (batch == null) {
            synchronized (queueLock) {
                if (closed || dataLost || queue.isEmpty()) {
                    sending = false;
                    queueLock.notifyAll(); // close() waits for the drain
                    return;
                }
                batch = new ArrayList<>(Math.min(queue.size(), SEND_BATCH));
                for (Entry e : queue) {
                    batch.add(e);
                    if (batch.size() == SEND_BATCH) {
                        break;
                    }
                }
            }
        } else if (closed || dataLost) {
            synchronized (queueLock) {
                sending = false;
                queueLock.notifyAll();
            }
            return;
        }
        List<Entry> sent = batch;
        String[] args;
        try {
            args = appendArgs(batch);
        } catch (RuntimeException e) {
            onSendFailed(sent, e);
            return;
        }
        send(args, false).whenComplete((r, err) -> {
            if (err != null && cause(err) instanceof RedisNoScriptException) {
                send(args, true).whenComplete((r2, err2) -> onSent(sent, r2, err2));
            } else {
                onSent(sent, r, err);
            }
        });
    }

    /**
     * The batch as one {@link Scripts#APPEND} call; a failed batch goes again as it was: its chat runs, and
     * so their sequence numbers, must be the same for the script to recognise what an unanswered call
     * already appended.
     */
    private String[] appendArgs(List<Entry> batch) {
        List<String> args = new ArrayList<>(8 + batch.size() * 4);
        args.add(epoch);
        args.add(nodeId);
        args.add(Long.toString(incarnation));
        for (int i = 0; i < batch.size(); ) {
            Entry e = batch.get(i);
            if (!e.isChat()) {
                args.add("1");
                args.add(Long.toString(e.seq));
                args.add(Long.toString(e.maxlen));
                args.add(Integer.toString(e.fields.length));
                args.addAll(Arrays.asList(e.fields));
                i++;
                continue;
            }
            // a run of chat lines is one stream entry with one value: Redis's and Lettuce's costs are per
            // entry and per value, not per byte
            int end = i;
            while (end < batch.size() && batch.get(end).isChat()) {
                end++;
            }
            int n = end - i;
            List<ChatRun.Line> lines = new ArrayList<>(n);
            for (int k = i; k < end; k++) {
                lines.add(batch.get(k).line);
            }
            args.add("2");
            args.add(Long.toString(batch.get(end - 1).seq)); // the group is appended once, as its last line
            args.add(Long.toString(e.maxlen));
            args.add("6");
            args.add("node");
            args.add(nodeId);
            args.add("n");
            args.add(Integer.toString(n));
            args.add("lines");
            args.add(ChatRun.encode(lines));
            i = end;
        }
        return args.toArray(String[]::new);
    }

    /**
     * One {@link Scripts#APPEND} call, by its SHA1 ({@code EVALSHA}), or with its body when Redis does not
     * know it (its first use, or a Redis restarted since), which caches it. Duplicates are dropped by the
     * script. Fails when Redis has not answered within the log connection's timeout (Lettuce's, the node
     * timeout but at least 2 s: {@link RedisCluster#open}); the call may still land, which the re-sent
     * batch's sequence numbers make harmless.
     */
    private CompletionStage<Long> send(String[] args, boolean withBody) {
        String[] scriptKeys = keys.appendKeys();
        return withBody
                ? commands.eval(Scripts.APPEND, ScriptOutputType.INTEGER, scriptKeys, args)
                : commands.evalsha(appendSha, ScriptOutputType.INTEGER, scriptKeys, args);
    }

    private void onSent(List<Entry> batch, Long appended, Throwable err) {
        if (err == null && appended != null && appended < 0) {
            loseData("an append found another epoch");
            err = new IllegalStateException("Redis lost the cluster's data");
        }
        if (err != null) {
            onSendFailed(batch, err);
            return;
        }
        synchronized (queueLock) {
            for (int i = 0; i < batch.size(); i++) {
                queue.poll();
            }
        }
        if (sendFailing) {
            log.info(HermesMarkers.STATE, "Cluster log: appending again");
            sendFailing = false;
        }
        sendBackoff = 50;
        sendNext(null);
    }

    private void onSendFailed(List<Entry> batch, Throwable err) {
        if (dataLost || closed) {
            sendNext(batch); // ends the chain
            return;
        }
        if (!sendFailing) {
            log.warn(HermesMarkers.STATE, "Cluster log: cannot append ({}); retrying", describe(err));
            sendFailing = true;
        }
        long wait = sendBackoff;
        sendBackoff = Math.min(sendBackoff * 2, MAX_BACKOFF_MILLIS);
        schedule(() -> sendNext(batch), wait);
    }

    /** Runs {@code task} on the timer after {@code millis}, unless the log has stopped. */
    private void schedule(Runnable task, long millis) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("not rescheduled: the log has stopped");
        }
    }

    // ---------------------------------------------------------------- reader

    /**
     * An announcement on the feed channel ({@link Scripts#FEED}): its number, the entry's stream and id, and
     * for a chat entry the entry itself (floor, node, run; the run is cut out of the message only when
     * asked for: a node's own entries are skipped without it).
     */
    private static final class Feed {
        final long seq;
        final String id;
        final boolean isLog;
        final String floor;
        final String node;
        private final String message;
        private final int runStart;

        private Feed(long seq, String id, boolean isLog, String floor, String node, String message, int runStart) {
            this.seq = seq;
            this.id = id;
            this.isLog = isLog;
            this.floor = floor;
            this.node = node;
            this.message = message;
            this.runStart = runStart;
        }

        String run() {
            return message.substring(runStart);
        }

        /**
         * @throws IllegalArgumentException when {@code message} is not an announcement as the scripts write it
         */
        static Feed parse(String message) {
            int s1 = message.indexOf(' ');
            int s2 = s1 < 0 ? -1 : message.indexOf(' ', s1 + 1);
            if (s2 < 0) {
                throw new IllegalArgumentException("no entry id");
            }
            long seq;
            try {
                seq = Long.parseLong(message, 0, s1, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number", e);
            }
            String id = message.substring(s1 + 1, s2);
            if (message.startsWith("L", s2 + 1) && message.length() == s2 + 2) {
                return new Feed(seq, id, true, null, null, message, message.length());
            }
            int s3 = message.indexOf(' ', s2 + 1);
            int s4 = s3 < 0 ? -1 : message.indexOf(' ', s3 + 1);
            int s5 = s4 < 0 ? -1 : message.indexOf(' ', s4 + 1);
            if (s5 < 0 || s3 != s2 + 2 || message.charAt(s2 + 1) != 'C') {
                throw new IllegalArgumentException("neither a log nor a chat announcement");
            }
            return new Feed(seq, id, false, message.substring(s3 + 1, s4), message.substring(s4 + 1, s5), message, s5 + 1);
        }
    }

    /** What one catch-up round learnt from its {@code GET} of the feed's count, before its {@code XREAD}'s answer. */
    private static final class Round {
        boolean counted;
    }

    /**
     * Subscribes to the feed (again after a failure; Lettuce subscribes again by itself after a reconnect).
     * Any thread.
     */
    private void subscribe() {
        if (closed || dataLost) {
            return;
        }
        commands.subscribe(keys.feed).whenComplete((ok, err) -> {
            if (err != null && !closed && !dataLost) {
                log.warn(HermesMarkers.STATE, "Cluster log: cannot subscribe to {} ({}); retrying", keys.feed, describe(err));
                schedule(this::subscribe, MAX_BACKOFF_MILLIS);
            }
        });
    }

    /**
     * An announcement, on the log connection's I/O thread in the order Redis published them: applied at
     * once when it is the next one and this node is not catching up, else kept for after the catch-up.
     */
    private void onFeed(String message) {
        if (closed || dataLost) {
            return;
        }
        Feed f;
        try {
            f = Feed.parse(message);
        } catch (IllegalArgumentException e) {
            log.warn(HermesMarkers.STATE, "Cluster log: an unreadable announcement on {} ({}); reading the streams",
                    keys.feed, e.getMessage());
            gap = true;
            if (!catchingUp) {
                catchUp();
            }
            return;
        }
        if (lastFeedSeq >= 0 && f.seq != lastFeedSeq + 1) {
            gap = true; // announcements were lost (a reconnect): the streams have what they said
        }
        lastFeedSeq = f.seq;
        if (catchingUp) {
            inbox.add(f);
            return;
        }
        if (gap || !applyFeed(f)) {
            inbox.add(f);
            catchUp();
        }
    }

    /**
     * Applies one announcement; false when it needs a catch-up first: a log entry not read yet (its fields
     * are in the log only). An entry this node has already read is skipped.
     */
    private boolean applyFeed(Feed f) {
        if (f.isLog) {
            return StreamIds.compare(f.id, logCursor) <= 0;
        }
        if (StreamIds.compare(f.id, chatCursor) > 0) {
            if (!nodeId.equals(f.node)) { // this node relayed its own already
                holdChats(f.node, f.floor, f.run(), f.id, keys.feed);
                applyHeldChats();
            }
            chatCursor = f.id;
            changed();
        }
        return true;
    }

    /** Starts a catch-up: rounds of reading both streams until they are read to their end. I/O thread. */
    private void catchUp() {
        catchingUp = true;
        readNext();
    }

    /**
     * One catch-up round: the feed's count ({@code GET}), then the next entries of both streams
     * ({@code XREAD}, not blocking) from the last entry applied, applied in the answer's callback on the
     * connection's I/O thread; another round while a stream gave a full batch. The subscription and these
     * calls share one connection, so Redis answers in order with its announcements: every announcement
     * numbered up to the count was published before the read and is covered by it, and the next one
     * received must be numbered count + 1. Never blocks; after a failure (or no answer within the
     * connection's timeout) the round goes again from the same place, backing off, from the timer.
     */
    private void readNext() {
        if (closed || dataLost) {
            return;
        }
        Round round = new Round();
        commands.get(keys.feedSeq).whenComplete((count, err) -> {
            if (err == null) {
                lastFeedSeq = count == null ? 0 : Long.parseLong(count);
                gap = false;
                round.counted = true;
            }
        });
        commands.xread(XReadArgs.Builder.count(READ_BATCH), XReadArgs.StreamOffset.from(keys.log, logCursor),
                        XReadArgs.StreamOffset.from(keys.chat, chatCursor))
                .whenComplete((read, err) -> {
                    if (closed || dataLost) {
                        return; // stopped while the read waited: nothing is applied after close()
                    }
                    if (err == null && !round.counted) {
                        err = new IllegalStateException("the feed's count was not read");
                    }
                    if (err != null) {
                        onReadFailed(err);
                        return;
                    }
                    List<StreamMessage<String, String>> got = read == null ? List.of() : read;
                    boolean logEntries = false;
                    for (StreamMessage<String, String> m : got) {
                        logEntries |= keys.log.equals(m.getStream());
                    }
                    if (logEntries) {
                        holdUnreadChats(got);
                    } else {
                        onRead(got);
                    }
                });
    }

    private void onRead(List<StreamMessage<String, String>> read) {
        if (closed || dataLost) {
            return;
        }
        boolean more;
        try {
            more = applyRead(read);
        } catch (RuntimeException e) {
            onReadFailed(e);
            return;
        }
        if (readFailing) {
            log.info(HermesMarkers.STATE, "Cluster log: reading again from {}", logCursor);
            readFailing = false;
        }
        readBackoff = 50;
        if (more) {
            readNext();
        } else {
            endCatchUp();
        }
    }

    /**
     * The end of a catch-up: the streams are read to where they stood at the last round; what was announced
     * meanwhile is applied (skipped, mostly: the round covered it), and a gap seen since the round's count
     * starts another.
     */
    private void endCatchUp() {
        catchingUp = false;
        if (!caughtUp) {
            caughtUp = true;
            caughtUpLatch.countDown();
            log.info(HermesMarkers.STATE, "Cluster log: applied up to {}; node {} follows the cluster", logCursor, nodeId);
        }
        while (!gap && !inbox.isEmpty()) {
            if (!applyFeed(inbox.peek())) {
                break;
            }
            inbox.poll();
        }
        if (gap || !inbox.isEmpty()) {
            catchUp();
        }
    }

    /**
     * Checks, on the log connection, that no announcement was missed without a later one showing the gap
     * (the last ones before a reconnect): the count Redis gives is answered after every announcement
     * before it. Called by the heartbeat; any thread.
     */
    private void probeFeed() {
        if (closed || dataLost || !caughtUp) {
            return;
        }
        commands.get(keys.feedSeq).thenAccept(count -> {
            if (!closed && !dataLost && !catchingUp && count != null && Long.parseLong(count) > lastFeedSeq) {
                log.debug("Cluster log: announcements up to {} missed (last {}); reading the streams", count, lastFeedSeq);
                catchUp();
            }
        });
    }

    private void onReadFailed(Throwable err) {
        if (closed || dataLost) {
            return;
        }
        if (!readFailing) {
            log.warn(HermesMarkers.STATE, "Cluster log: cannot read ({}); resuming after {}", describe(err), logCursor);
            readFailing = true;
        }
        long wait = readBackoff;
        readBackoff = Math.min(readBackoff * 2, MAX_BACKOFF_MILLIS);
        schedule(this::readNext, wait);
    }

    /**
     * Reads the chat stream on from the last entry of {@code read} (or the last one held), until it has
     * every chat entry there is now, then applies {@code read} with them. An {@code XREAD} of two streams
     * with a {@code COUNT} can end one stream's entries before a log entry that comes after them (and a
     * blocked one is answered with the entries of the stream that woke it only): a reply could hold a
     * client's leave without the chat line its node appended just before it, in the same script call, and
     * the leave applied first would make the line one from a stranger, dropped. A read issued now sees
     * every entry appended before those log entries. One round trip more per read that carries log
     * entries (joins, leaves, renames).
     */
    private void holdUnreadChats(List<StreamMessage<String, String>> read) {
        String from = chatCursor;
        for (StreamMessage<String, String> m : read) {
            if (keys.chat.equals(m.getStream())) {
                from = m.getId();
            }
        }
        commands.xread(XReadArgs.Builder.count(READ_BATCH), XReadArgs.StreamOffset.from(keys.chat, from))
                .whenComplete((more, err) -> {
                    if (err != null) {
                        onReadFailed(err); // nothing held yet: the whole read goes again
                        return;
                    }
                    if (more == null || more.isEmpty()) {
                        onRead(read);
                        return;
                    }
                    // applyRead holds every chat entry of the list before it applies a log entry
                    List<StreamMessage<String, String>> all = new ArrayList<>(read.size() + more.size());
                    all.addAll(read);
                    all.addAll(more);
                    if (more.size() == READ_BATCH) {
                        holdUnreadChats(all);
                    } else {
                        onRead(all);
                    }
                });
    }

    /** Applies one round's entries; whether a stream gave a full batch (there may be more to read). */
    private boolean applyRead(List<StreamMessage<String, String>> read) {
        int logEntries = 0;
        int chatEntries = 0;
        for (StreamMessage<String, String> m : read) {
            if (keys.chat.equals(m.getStream())) {
                holdChats(m);
                chatCursor = m.getId();
                chatEntries++;
            } else {
                logEntries++;
            }
        }
        for (StreamMessage<String, String> m : read) {
            if (keys.log.equals(m.getStream())) {
                applyHeldChats();
                applyLogEntry(m);
            }
        }
        applyHeldChats();
        changed();
        return logEntries >= READ_BATCH || chatEntries >= READ_BATCH;
    }

    private void applyLogEntry(StreamMessage<String, String> m) {
        StateEvent event = decode(m);
        if (event != null) {
            applySafely(event);
            if (event instanceof StateEvent.NodeDown d && d.node().equals(nodeId)) {
                log.warn(HermesMarkers.STATE, "Cluster log: this node ({}) was declared dead; its clients have left the cluster", nodeId);
            }
        }
        logCursor = m.getId();
        appliedLogId = logCursor;
    }

    /**
     * Holds the lines of one chat entry (a run of one node's lines, {@link Scripts#APPEND}): each is applied
     * once this node has applied the log up to the later of its own {@code after} (where its node stood when
     * it relayed the line) and the entry's {@code floor} (the last log entry its node had appended).
     */
    private void holdChats(StreamMessage<String, String> m) {
        Map<String, String> f = m.getBody();
        holdChats(f.get("node"), f.getOrDefault("floor", StreamIds.ZERO), f.get("lines"), m.getId(), m.getStream());
    }

    /** {@link #holdChats(StreamMessage)} of an entry read from {@code source} (a stream, or the feed). */
    private void holdChats(String node, String floor, String lines, String id, String source) {
        try {
            if (nodeId.equals(Objects.requireNonNull(node, "node"))) {
                return; // this node relayed its own already
            }
            for (ChatRun.Line line : ChatRun.decode(Objects.requireNonNull(lines, "lines"))) {
                String after = StreamIds.compare(floor, line.after()) > 0 ? floor : line.after();
                heldChats.add(new HeldChat(after, line.clientId(), line.text()));
            }
        } catch (RuntimeException e) {
            log.warn(HermesMarkers.STATE, "Cluster log: skipped entry {} of {}: {}", id, source, e.toString());
        }
    }

    /** Applies the held chat lines whose sender's node had applied no more of the log than this node has. */
    private void applyHeldChats() {
        while (!heldChats.isEmpty()) {
            HeldChat c = heldChats.peek();
            if (StreamIds.compare(c.after(), logCursor) > 0) {
                return;
            }
            heldChats.poll();
            applySafely(new StateEvent.Chat(c.clientId(), c.text()));
        }
    }

    private StateEvent decode(StreamMessage<String, String> m) {
        try {
            return EventCodec.decode(m.getBody());
        } catch (IllegalArgumentException e) {
            log.warn(HermesMarkers.STATE, "Cluster log: skipped entry {} of {}: {}", m.getId(), m.getStream(), e.getMessage());
            return null;
        }
    }

    private void applySafely(StateEvent event) {
        try {
            applier.apply(event);
        } catch (RuntimeException e) {
            log.error(HermesMarkers.STATE, "Cluster log: applying {} failed", event, e);
        }
    }

    // ---------------------------------------------------------------- heartbeat

    private void heartbeatLoop() {
        long periodNanos = Math.max(timeoutNanos / 3, TimeUnit.MILLISECONDS.toNanos(50));
        long next = System.nanoTime();
        boolean failing = false;
        while (!closed && !dataLost) {
            next += periodNanos;
            try {
                beat(periodNanos);
                heartbeats.incrementAndGet();
                probeFeed();
                if (failing) {
                    log.info(HermesMarkers.STATE, "Cluster: Redis answers again");
                    failing = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (!failing) {
                    log.warn(HermesMarkers.STATE, "Cluster: heartbeat failed ({})", describe(e));
                    failing = true;
                }
            }
            changed(); // answered or not: availability may have changed
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // a slow answer: beat again at once, do not catch up a burst
                continue;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait); // the heartbeat's period, on its own thread
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void beat(long waitNanos) throws InterruptedException, ExecutionException, TimeoutException {
        String down = downEntryId;
        // dead: rejoin once this node has applied its own node-down, so later joins come after it
        boolean rejoin = down != null && StreamIds.compare(appliedLogId, down) >= 0;
        long sent = System.nanoTime();
        String answer = heartbeatCommands.<String>eval(Scripts.HEARTBEAT, ScriptOutputType.STATUS,
                keys.heartbeatKeys(), epoch, keys.prefix, nodeId,
                Long.toString(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)), rejoin ? "1" : "0", appliedLogId)
                .get(waitNanos, TimeUnit.NANOSECONDS);
        // the answer first, the contact time after: a node told it is dead must not look available between
        if ("ok".equals(answer)) {
            if (rejoin) {
                log.info(HermesMarkers.STATE, "Cluster: node {} rejoined", nodeId);
                downEntryId = null;
            }
        } else if ("epoch".equals(answer)) {
            loseData("the epoch key is gone or changed");
        } else if ("lost".equals(answer)) {
            loseData("the log lost entries this node had applied, up to " + appliedLogId);
        } else if (answer != null && answer.startsWith("down:")) {
            if (down == null) {
                log.warn(HermesMarkers.STATE, "Cluster: node {} was declared dead (cut off longer than the node timeout)", nodeId);
            }
            downEntryId = answer.substring("down:".length());
        }
        lastContactNanos = sent;
    }

    private void loseData(String why) {
        if (!dataLost) {
            dataLost = true;
            log.error(HermesMarkers.STATE, "Cluster: Redis lost the cluster's data ({}); this node stops (restart it to form a new cluster)",
                    why);
            synchronized (queueLock) {
                queue.clear();
                queueLock.notifyAll();
            }
            changed();
        }
    }

    private static String describe(Throwable e) {
        Throwable c = cause(e);
        if (c instanceof TimeoutException) {
            return "Redis did not answer in time";
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** What failed, without the wrappers a future adds. */
    private static Throwable cause(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
