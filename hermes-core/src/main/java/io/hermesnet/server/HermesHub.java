package io.hermesnet.server;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.logging.ClientLogMessage;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.Names;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide state of one HermesNet server: the client registry (ids, names, join order), the
 * rank list, the rooms and turns, pending EXECs and the {@code ID} counter; and the operations that
 * change it, each of which also sends the lines docs/protocol.md §2–§3 prescribe. One instance per server,
 * injected into the handlers by {@link HermesPipeline}; nothing here is static.
 *
 * <p><b>Threading.</b> Every operation that reads or changes membership, names, ranks, rooms or
 * EXECs holds this hub's lock for its whole run, so they happen in one total order and every client
 * sees their lines in that order: each client's lines go through its session's outbox
 * ({@link Session#send}), which keeps the order whichever event loop sends. The lock is held only for
 * in-memory work: writes are handed to the channels' event loops, never awaited, so no event loop
 * blocks on another. The chat fan-out
 * outside turn mode takes no lock: it reads the room's immutable member snapshot.
 */
public final class HermesHub {
    private static final Logger log = LogManager.getLogger(HermesHub.class);

    private final HermesConfig config;
    private final HermesMetrics metrics;
    private final Clock clock;
    private final ByteBufAllocator alloc;
    private final AtomicInteger tickCounter;
    private final LogGate logGate;
    private final Object lock = new Object();

    // guarded by lock
    private long lastClientId;
    private long lastRoomId;
    private long lastExecId;
    private final List<Session> ranked = new ArrayList<>();
    private final Map<String, Session> byName = new HashMap<>();
    private final Map<String, Integer> perIp = new HashMap<>();
    private final Map<Long, Room> rooms = new LinkedHashMap<>();
    private final Map<Long, PendingExec> pendingExecs = new HashMap<>();
    private final Room globalRoom = new Room(ServerEvent.WhoEntry.NO_ROOM, 0);
    private volatile boolean closing;

    /**
     * A hub with the given settings, the system clock, and the {@code ID} counter starting at 0. A
     * broadcast's one shared line is a plain heap buffer: recipients copy it into their own batches
     * ({@link io.hermesnet.handler.WriteCoalescingHandler}) and it dies young, so pooling it, or
     * sampling it for leaks, would cost more than it saves.
     */
    public HermesHub(HermesConfig config) {
        this(config, LogGate.unbounded(), HermesMetrics.NOOP);
    }

    /**
     * {@link #HermesHub(HermesConfig)} whose per-message log lines (RX, TX, BROADCAST) pass
     * {@code logGate} (the hermes-server command's gate reads its asynchronous log queue) and whose
     * events are counted in {@code metrics} (an operations endpoint's {@link HermesCounters};
     * {@link HermesMetrics#NOOP} for none).
     */
    public HermesHub(HermesConfig config, LogGate logGate, HermesMetrics metrics) {
        this(config, Clock.systemDefaultZone(), 0, new UnpooledByteBufAllocator(false, true), logGate, metrics);
    }

    /** {@link #HermesHub(HermesConfig, LogGate, HermesMetrics)} with no log gate. */
    public HermesHub(HermesConfig config, HermesMetrics metrics) {
        this(config, LogGate.unbounded(), metrics);
    }

    /**
     * A hub for tests and embedders, counting nothing.
     *
     * @param firstTick the first {@code ID} value, as an unsigned 32-bit number ({@code 0xFFFFFFFF} tests the wrap)
     * @param alloc     the allocator broadcasts encode their one shared buffer with
     */
    public HermesHub(HermesConfig config, Clock clock, long firstTick, ByteBufAllocator alloc) {
        this(config, clock, firstTick, alloc, HermesMetrics.NOOP);
    }

    /**
     * A hub for tests and embedders.
     *
     * @param firstTick the first {@code ID} value, as an unsigned 32-bit number ({@code 0xFFFFFFFF} tests the wrap)
     * @param alloc     the allocator broadcasts encode their one shared buffer with
     * @param metrics   where the hub and its pipelines count events; {@link HermesMetrics#NOOP} for none
     */
    public HermesHub(HermesConfig config, Clock clock, long firstTick, ByteBufAllocator alloc, HermesMetrics metrics) {
        this(config, clock, firstTick, alloc, LogGate.unbounded(), metrics);
    }

    private HermesHub(HermesConfig config, Clock clock, long firstTick, ByteBufAllocator alloc, LogGate logGate,
                      HermesMetrics metrics) {
        this.logGate = logGate;
        this.config = config;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = clock;
        this.alloc = alloc;
        this.tickCounter = new AtomicInteger((int) firstTick);
    }

    /** The settings every handler reads. */
    public HermesConfig config() {
        return config;
    }

    /** The gate of the per-message log lines (RX, TX, BROADCAST) of this server's clients. */
    public LogGate logGate() {
        return logGate;
    }

    /** The counting hooks; {@link HermesMetrics#NOOP} when nothing counts. */
    public HermesMetrics metrics() {
        return metrics;
    }

    /** The next value of the server-wide unsigned 32-bit {@code ID} counter; wraps to 0. Any thread. */
    public long nextTick() {
        return Integer.toUnsignedLong(tickCounter.getAndIncrement());
    }

    /** Whether a shutdown has begun: no one is admitted and nothing more is broadcast. */
    public boolean isClosing() {
        return closing;
    }

    /** The outcome of {@link #join}: the new session, or why the connection was refused. */
    public record Admission(Session session, String refusal) {
        /** Whether the client was admitted. */
        public boolean admitted() {
            return session != null;
        }
    }

    /**
     * Admits the client on {@code channel} (docs/protocol.md §3.1): gives it the next id, the default name, the
     * lowest rank and a room, sends {@code WELCOME} (always its first line), {@code JOIN} to the others,
     * {@code CLIENTS} to all, and the room lines. Refuses, taking no id, when the server or the
     * client's IP is full or a shutdown has begun.
     */
    public Admission join(Channel channel) {
        String ip = ipOf(channel);
        synchronized (lock) {
            HermesMetrics.Rejection rejection = admissionRefusal(ip);
            if (rejection != null) {
                String refusal = refusalText(rejection, ip);
                String address = Session.formatAddress(channel.remoteAddress());
                log.info(HermesMarkers.STATE, ClientLogMessage.ofAddress(address, "Rejected {}: {}", address, refusal));
                metrics.connectionRejected(rejection);
                return new Admission(null, refusal);
            }
            long id = ++lastClientId;
            Session s = new Session(id, Names.defaultName(id), ranked.size(), channel, clock.instant(),
                    config.presenceDelay().toNanos());
            channel.attr(HermesAttributes.SESSION).set(s);
            ranked.add(s);
            byName.put(Names.key(s.name()), s);
            perIp.merge(ip, 1, Integer::sum);
            // WELCOME is queued first, so it is the first line even if another event loop relays chat to
            // the newcomer at once; then the newcomer becomes a room member before JOIN goes out, so
            // chat relayed by anyone who has seen the JOIN reaches it (the fan-out reads the room's
            // snapshot without the lock).
            s.send(new ServerEvent.Welcome(id, s.name(), s.rank(), config.welcomeText()));
            Room room = enterRoom(s);
            Session[] all = ranked.toArray(new Session[0]);
            fanOut(new ServerEvent.Join(id, s.name()), all, s, false);
            fanOut(new ServerEvent.Clients(all.length), all, null, false);
            log.info(HermesMarkers.STATE, ClientLogMessage.of(s, "Client {} connected from {} ({} clients)", id, s.address(), all.length));
            metrics.connectionAccepted();
            announceRoom(s, room);
            return new Admission(s, null);
        }
    }

    private HermesMetrics.Rejection admissionRefusal(String ip) {
        if (closing) {
            return HermesMetrics.Rejection.SHUTTING_DOWN;
        }
        if (ranked.size() >= config.maxClients()) {
            return HermesMetrics.Rejection.FULL;
        }
        if (config.maxPerIp() > 0 && perIp.getOrDefault(ip, 0) >= config.maxPerIp()) {
            return HermesMetrics.Rejection.PER_IP;
        }
        return null;
    }

    private String refusalText(HermesMetrics.Rejection rejection, String ip) {
        return switch (rejection) {
            case SHUTTING_DOWN -> "server is shutting down";
            case FULL -> "server is full (" + config.maxClients() + "/" + config.maxClients() + ")";
            case PER_IP -> "too many connections from " + ip;
        };
    }

    private static String ipOf(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(channel.remoteAddress());
    }

    /** Puts {@code s} in the global room, or the oldest incomplete room (a new one if none); no lines. */
    private Room enterRoom(Session s) {
        if (!config.roomsEnabled()) {
            globalRoom.add(s);
            s.room(globalRoom);
            return globalRoom;
        }
        Room room = null;
        for (Room r : rooms.values()) { // creation order: the oldest incomplete room first
            if (!r.isFull()) {
                room = r;
                break;
            }
        }
        if (room == null) {
            room = new Room(++lastRoomId, config.roomSize());
            rooms.put(room.id(), room);
        }
        room.add(s);
        s.room(room);
        return room;
    }

    /** The room lines of {@code s}'s arrival in {@code room}: {@code ROOM … READY} (and turns) or {@code ROOM … WAITING}. */
    private void announceRoom(Session s, Room room) {
        if (room == globalRoom) {
            return;
        }
        if (room.isReady()) {
            log.info(HermesMarkers.STATE, "Room {} ready: {}", room.id(), memberNames(room));
            announceReady(room);
        } else {
            log.info(HermesMarkers.STATE, ClientLogMessage.of(s, "Client {} waits in room {}", s.id(), room.id()));
            s.send(new ServerEvent.RoomWaiting(room.id()));
        }
    }

    private void announceReady(Room room) {
        fanOut(new ServerEvent.RoomReady(room.id(), memberNames(room)), room.snapshot(), null, true);
        if (config.turns()) {
            announceTurns(room);
        }
    }

    private void announceTurns(Room room) {
        Session holder = room.turnHolder();
        for (Session m : room.members()) {
            m.send(new ServerEvent.Turn(m == holder));
        }
    }

    private static List<String> memberNames(Room room) {
        List<String> names = new ArrayList<>(room.members().size());
        for (Session m : room.members()) {
            names.add(m.name());
        }
        return names;
    }

    /**
     * Removes {@code s} (docs/protocol.md §3.3, §3.5, §3.7): {@code LEAVE} with {@code reason} and {@code CLIENTS} to
     * the others, promotion of everyone below with {@code RANK}, {@code ROOM WAITING} to the rest of
     * its room, and its pending EXECs dropped. Idempotent: only the first call for a session acts.
     * During a shutdown the state is cleared but nothing is broadcast, so {@code BYE} stays last.
     */
    public void leave(Session s, LeaveReason reason) {
        synchronized (lock) {
            if (!s.isJoined()) {
                return;
            }
            s.left();
            int index = ranked.indexOf(s);
            ranked.remove(index);
            byName.remove(Names.key(s.name()));
            perIp.computeIfPresent(ipOf(s.channel()), (k, n) -> n > 1 ? n - 1 : null);
            endExecsOf(s);
            log.info(HermesMarkers.STATE, ClientLogMessage.of(s, "Client {} ({}) disconnected: {} ({} clients)", s.id(), s.name(),
                    reason.wire(), ranked.size()));
            metrics.disconnected(reason);

            Room room = s.room();
            boolean wasReady = room.isReady();
            room.remove(s);
            if (room != globalRoom && room.isEmpty()) {
                rooms.remove(room.id());
            }
            for (int i = index; i < ranked.size(); i++) {
                ranked.get(i).rank(i);
            }
            if (closing) {
                return;
            }
            Session[] all = ranked.toArray(new Session[0]);
            fanOut(new ServerEvent.Leave(s.id(), s.name(), reason), all, null, false);
            fanOut(new ServerEvent.Clients(all.length), all, null, false);
            for (int i = index; i < all.length; i++) {
                // the rank as it is now, not all[]'s index: a send may run another leave first (an
                // EmbeddedChannel runs pending tasks inside a write; the fuzzer found a stale RANK 1
                // arriving after RANK 0), and one who has left meanwhile gets nothing
                Session t = all[i];
                if (t.isJoined()) {
                    t.sendPresence(new ServerEvent.Rank(t.rank()));
                }
            }
            if (room != globalRoom && wasReady && !room.isEmpty()) {
                log.info(HermesMarkers.STATE, "Room {} waiting again", room.id());
                fanOut(new ServerEvent.RoomWaiting(room.id()), room.snapshot(), null, true);
            }
        }
    }

    /**
     * Sets {@code s}'s name (docs/protocol.md §2 {@code /nick}): {@code NAME} to it and {@code RENAME} to the
     * others, or {@code ERROR NAME_TAKEN} if another client holds the name in any case.
     *
     * @param name a well-formed, unreserved name ({@link io.hermesnet.protocol.ClientCommand.Nick} guarantees it)
     */
    public void rename(Session s, String name) {
        synchronized (lock) {
            if (!s.isJoined()) {
                return;
            }
            String key = Names.key(name);
            Session holder = byName.get(key);
            if (holder != null && holder != s) {
                s.send(new ServerEvent.Error(ErrorCode.NAME_TAKEN, "name " + name + " is in use"));
                return;
            }
            String old = s.name();
            s.send(new ServerEvent.Name(name));
            if (old.equals(name)) {
                return;
            }
            byName.remove(Names.key(old));
            byName.put(key, s);
            s.name(name);
            fanOut(new ServerEvent.Rename(s.id(), old, name), ranked.toArray(new Session[0]), s, true);
            log.info(HermesMarkers.STATE, ClientLogMessage.of(s, "Client {} renamed {} -> {}", s.id(), old, name));
        }
    }

    /** Answers {@code /who}: one {@code WHO} row per client in rank order, then {@code END WHO <count>}. */
    public void who(Session s) {
        synchronized (lock) {
            for (Session m : ranked) {
                s.send(new ServerEvent.WhoEntry(m.id(), m.name(), m.rank(), m.roomId(), m.address()));
            }
            s.send(new ServerEvent.WhoEnd(ranked.size()));
        }
    }

    /**
     * Sends a private line (docs/protocol.md §2.5 {@code /msg}): {@code DM <id> <name> <text>} to the
     * client named {@code name} (ignoring case), and to nobody else. {@code ERROR NO_SUCH_NAME} when no
     * client has the name, or, with rooms on, only one outside {@code from}'s room; {@code ERROR BAD_ARGS}
     * to oneself. Turns do not apply.
     *
     * @param text sanitized, non-empty text
     */
    public void directMessage(Session from, String name, String text) {
        synchronized (lock) {
            if (!from.isJoined() || closing) { // during a shutdown BYE is every client's last line
                return;
            }
            Session target = byName.get(Names.key(name));
            if (target == null || config.roomsEnabled() && target.room() != from.room()) {
                from.send(new ServerEvent.Error(ErrorCode.NO_SUCH_NAME,
                        "no client named " + name + (config.roomsEnabled() ? " in your room" : "")));
            } else if (target == from) {
                from.send(new ServerEvent.Error(ErrorCode.BAD_ARGS, "that is you; /msg is for someone else"));
            } else {
                target.send(new ServerEvent.Dm(from.id(), from.name(), text));
            }
        }
    }

    /** Answers {@code /rank} with {@code RANK <rank>}. */
    public void rank(Session s) {
        synchronized (lock) {
            s.send(new ServerEvent.Rank(s.rank()));
        }
    }

    /**
     * Handles an EXEC (docs/protocol.md §3.6): allowed only when the issuer's rank number is smaller than
     * {@code targetRank}; then the target gets {@code EXEC} and the issuer {@code OK EXEC}. Otherwise the
     * issuer gets {@code ERROR NO_SUCH_RANK} or {@code ERROR FORBIDDEN}. Nothing is ever executed here.
     */
    public void exec(Session issuer, long targetRank, String command) {
        synchronized (lock) {
            if (!issuer.isJoined()) {
                return;
            }
            int fromRank = issuer.rank();
            if (targetRank >= ranked.size()) {
                metrics.exec(HermesMetrics.ExecOutcome.NO_SUCH_RANK, 1);
                refuseExec(issuer, targetRank, command, ErrorCode.NO_SUCH_RANK, "no client holds rank " + targetRank);
            } else if (fromRank >= targetRank) {
                metrics.exec(HermesMetrics.ExecOutcome.FORBIDDEN, 1);
                refuseExec(issuer, targetRank, command, ErrorCode.FORBIDDEN,
                        "rank " + fromRank + " may only EXEC on ranks below it (numbers greater than " + fromRank + ")");
            } else {
                Session target = ranked.get((int) targetRank); // below ranked.size(), so an int
                long execId = ++lastExecId;
                PendingExec pending = new PendingExec(issuer, target);
                pendingExecs.put(execId, pending);
                if (!config.execTimeout().isZero()) {
                    // on the issuer's event loop: the hub never blocks, and the timer dies with that loop
                    pending.timer = issuer.channel().eventLoop().schedule(() -> execTimedOut(execId),
                            config.execTimeout().toNanos(), TimeUnit.NANOSECONDS);
                }
                metrics.exec(HermesMetrics.ExecOutcome.ALLOWED, 1);
                target.send(new ServerEvent.ExecRequest(execId, fromRank, issuer.name(), command));
                issuer.send(new ServerEvent.ExecAccepted(execId, (int) targetRank, target.name()));
                log.info(HermesMarkers.EXEC, "EXEC {} from client {} ({}, rank {}) to client {} ({}, rank {}): {} -> allowed",
                        execId, issuer.id(), issuer.name(), fromRank, target.id(), target.name(), targetRank, command);
            }
        }
    }

    private void refuseExec(Session issuer, long targetRank, String command, ErrorCode code, String text) {
        issuer.send(new ServerEvent.Error(code, text));
        log.info(HermesMarkers.EXEC, "EXEC from client {} ({}, rank {}) to rank {}: {} -> refused {}", issuer.id(),
                issuer.name(), issuer.rank(), targetRank, command, code);
    }

    /**
     * Routes a target's {@code /result} to the EXEC's issuer as {@code RESULT}; one result per EXEC.
     * From anyone but that EXEC's target, or for an unknown or answered id: {@code ERROR NO_SUCH_EXEC}.
     */
    public void result(Session from, long execId, String text) {
        synchronized (lock) {
            if (!from.isJoined()) {
                return;
            }
            PendingExec p = pendingExecs.get(execId);
            if (p == null || p.target != from) {
                from.send(new ServerEvent.Error(ErrorCode.NO_SUCH_EXEC, "no pending EXEC " + execId + " for you"));
                return;
            }
            pendingExecs.remove(execId);
            p.cancelTimer();
            metrics.exec(HermesMetrics.ExecOutcome.ANSWERED, 1);
            p.issuer.send(new ServerEvent.ExecResult(execId, from.name(), text));
            log.info(HermesMarkers.EXEC, "EXEC {} result from client {} ({}) to client {} ({}): {}", execId, from.id(),
                    from.name(), p.issuer.id(), p.issuer.name(), text);
        }
    }

    /**
     * Relays a chat line (docs/protocol.md §3.4, §3.7) as {@code MSG} to every other member of the sender's room,
     * and as {@code ECHO} to the sender with {@code --echo}. In an incomplete room: {@code ERROR
     * NOT_READY}; in turn mode out of turn: {@code ERROR NOT_YOUR_TURN}, else the turn passes on.
     *
     * @param text sanitized, non-empty chat text
     */
    public void chat(Session s, String text) {
        if (config.turns()) {
            synchronized (lock) {
                if (!s.isJoined()) {
                    return;
                }
                Room room = s.room();
                if (!room.isReady()) {
                    notReady(s, room);
                } else if (room.turnHolder() != s) {
                    s.send(new ServerEvent.Error(ErrorCode.NOT_YOUR_TURN, "wait for TURN WRITE"));
                } else {
                    relay(s, text, room.snapshot());
                    room.passTurn();
                    announceTurns(room);
                }
            }
            return;
        }
        Room room = s.room();
        Session[] members = room.snapshot();
        if (room != globalRoom && members.length < config.roomSize()) {
            notReady(s, room);
        } else if (s.isJoined()) {
            relay(s, text, members);
        }
    }

    private void notReady(Session s, Room room) {
        s.send(new ServerEvent.Error(ErrorCode.NOT_READY, "room " + room.id() + " is waiting for more members"));
    }

    private void relay(Session s, String text, Session[] members) {
        int n = fanOut(new ServerEvent.Msg(s.id(), s.name(), text), members, s, true);
        if (config.echo()) {
            s.send(new ServerEvent.Echo(text));
        }
        if (!config.quiet() && log.isInfoEnabled(HermesMarkers.BROADCAST) && logGate.admit()) {
            log.info(HermesMarkers.BROADCAST, "Broadcasting to {} clients", n);
        }
    }

    /**
     * Encodes {@code event} once and sends that one buffer to every target but {@code except}
     * ({@link Session#deliverShared}), flushing each once per batch of I/O; nothing once a shutdown has
     * begun. Returns the number of recipients.
     *
     * @param urgent false for presence lines, whose flush may wait ({@link HermesConfig#presenceDelay})
     */
    private int fanOut(ServerEvent event, Session[] targets, Session except, boolean urgent) {
        // closing: every client has been sent its BYE, its last line
        if (closing || targets.length == 0 || targets.length == 1 && targets[0] == except) {
            return 0;
        }
        ByteBuf line = LineEncoding.encode(alloc, event);
        int n = 0;
        try {
            for (Session t : targets) {
                if (t != except && t.isJoined()) {
                    t.deliverShared(line, urgent);
                    n++;
                }
            }
        } finally {
            line.release();
        }
        metrics.linesDelivered(n); // once per fan-out, not per recipient
        return n;
    }

    /**
     * Begins a graceful shutdown (docs/protocol.md §3.9): no one is admitted any more, nothing more is broadcast,
     * and every client gets {@code BYE <byeText>} and is closed once it is flushed. Idempotent in effect.
     *
     * @return the close futures of the clients' channels, for the caller's bounded wait
     */
    public List<ChannelFuture> shutdown(String byeText) {
        synchronized (lock) {
            closing = true;
            List<ChannelFuture> closes = new ArrayList<>(ranked.size());
            // A snapshot: on a client's own event loop the close, and so its leave(), runs inside this loop.
            for (Session s : ranked.toArray(new Session[0])) {
                Channel ch = s.channel();
                ch.attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.CLOSED);
                ch.writeAndFlush(new ServerEvent.Bye(byeText)).addListener(ChannelFutureListener.CLOSE);
                closes.add(ch.closeFuture());
            }
            log.info(HermesMarkers.STATE, "Shutdown: sent BYE {} to {} clients", byeText, closes.size());
            return closes;
        }
    }

    /** The connected clients in rank order: a snapshot. */
    public List<Session> sessions() {
        synchronized (lock) {
            return List.copyOf(ranked);
        }
    }

    /** The number of connected clients. */
    public int clientCount() {
        synchronized (lock) {
            return ranked.size();
        }
    }

    /** The number of rooms (0 when rooms are off) and pending EXECs: for leak checks. */
    public int roomCount() {
        synchronized (lock) {
            return rooms.size();
        }
    }

    /** The number of EXECs waiting for a {@code /result}. */
    public int pendingExecCount() {
        synchronized (lock) {
            return pendingExecs.size();
        }
    }

    /**
     * Ends every EXEC pending for or from {@code s}, which is leaving: an issuer still here learns its
     * EXEC will get no answer (docs/protocol.md §3.6); an EXEC whose issuer left is dropped. Under the lock.
     */
    private void endExecsOf(Session s) {
        for (var it = pendingExecs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, PendingExec> e = it.next();
            PendingExec p = e.getValue();
            if (p.issuer != s && p.target != s) {
                continue;
            }
            it.remove();
            p.cancelTimer();
            metrics.exec(HermesMetrics.ExecOutcome.NO_ANSWER, 1);
            if (p.issuer != s) {
                noAnswer(e.getKey(), p, "its target left");
            }
        }
    }

    /** {@code ERROR NO_SUCH_EXEC <execId> no answer} to the issuer, and the EXEC log line. Under the lock. */
    private void noAnswer(long execId, PendingExec p, String why) {
        if (!closing) { // during a shutdown BYE is every client's last line
            p.issuer.send(new ServerEvent.Error(ErrorCode.NO_SUCH_EXEC, execId + " no answer"));
        }
        log.info(HermesMarkers.EXEC, "EXEC {} from client {} ({}) to client {} ({}): no answer, {}", execId,
                p.issuer.id(), p.issuer.name(), p.target.id(), p.target.name(), why);
    }

    /** The {@code --exec-timeout} of EXEC {@code execId} ran out: it ends unanswered, if still pending. */
    private void execTimedOut(long execId) {
        synchronized (lock) {
            PendingExec p = pendingExecs.remove(execId);
            if (p != null) {
                metrics.exec(HermesMetrics.ExecOutcome.NO_ANSWER, 1);
                noAnswer(execId, p, "timed out after " + config.execTimeout().toMillis() + " ms");
            }
        }
    }

    /** An EXEC waiting for its {@code /result}; {@code timer} ends it at {@code --exec-timeout} (or null when off). */
    private static final class PendingExec {
        final Session issuer;
        final Session target;
        ScheduledFuture<?> timer; // guarded by the hub's lock

        PendingExec(Session issuer, Session target) {
            this.issuer = issuer;
            this.target = target;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
