package io.hermesnet.hub;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.internal.logging.ClientLogMessage;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.Names;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.state.LocalStateLog;
import io.hermesnet.state.StateEvent;
import io.hermesnet.state.StateLog;
import io.hermesnet.state.TickSource;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide state of one HermesNet server and the operations the handlers call on it
 * (docs/protocol.md §3). One instance per server, injected into the handlers by {@link io.hermesnet.server.HermesPipeline};
 * nothing here is static.
 *
 * <p><b>State as ordered events</b> (docs/design.md). Every change — join, leave, rename, turn-mode
 * chat, EXEC, result, timeout, private line — is a {@link StateEvent} appended to a {@link StateLog};
 * the log applies the events one at a time in one order ({@link #apply}), and applying an event changes
 * the state parts — {@link Membership} (ids, names, ranks), {@link Rooms} (rooms, turns),
 * {@link PendingExecs} — and sends the lines docs/protocol.md prescribes to the clients connected to this
 * server. Applying is deterministic (ids are allocated on apply, refusals decided by the state), so
 * servers sharing one distributed log hold the same state. {@link LocalStateLog}, the default, applies
 * each event inside {@code append} under its lock. The {@code ID} values come from a {@link TickSource}.
 *
 * <p><b>Threading.</b> Operations may be called from any event loop and never block. The applier
 * changes memory and queues lines on the clients' {@link ClientConnection}s, which keep each client's
 * lines in the applier's order; the sockets are written by the connections' own tasks, so no I/O happens
 * while the state is locked. Chat outside turn mode takes no lock: it reads the room's immutable member
 * snapshot.
 */
public final class HermesHub {
    private static final Logger log = LogManager.getLogger(HermesHub.class);
    /** How long a leave waiting for a distributed log holds back what follows it, in ms. */
    static final long LEAVE_WAIT_MS = 5_000;

    private final HermesConfig config;
    private final HermesMetrics metrics;
    private final Clock clock;
    private final ByteBufAllocator alloc;
    private final TickSource ticks;
    private final StateLog stateLog;
    private final String nodeId;
    private final LogGate logGate;
    private final Object stateLock = new Object(); // the applier's, and consistent reads'

    // owned by the applier (guarded by stateLock)
    private final Membership members = new Membership();
    private final Rooms rooms;
    private final PendingExecs execs = new PendingExecs();

    // one queue of lines from other threads per event loop, shared by the loop's connections
    private final Map<io.netty.channel.EventLoop, LoopOutbox> outboxes = new ConcurrentHashMap<>();
    // this server's connections waiting for their Join to be applied, by ticket
    private final Map<Long, PendingJoin> pendingJoins = new ConcurrentHashMap<>();
    private final AtomicLong lastTicket = new AtomicLong();
    private volatile boolean closing;

    private static final class PendingJoin {
        final ClientConnection connection;
        final Runnable onAdmitted;
        boolean admitted; // set by the applier; read by join() after an inline append

        PendingJoin(ClientConnection connection, Runnable onAdmitted) {
            this.connection = connection;
            this.onAdmitted = onAdmitted;
        }
    }

    /**
     * A hub with the given settings, the system clock, and the {@code ID} counter starting at 0. A
     * broadcast's one shared line is a plain heap buffer: recipients copy it into their own batches
     * ({@link io.hermesnet.codec.WriteCoalescingHandler}) and it dies young, so pooling it, or
     * sampling it for leaks, would cost more than it saves.
     */
    public HermesHub(HermesConfig config) {
        this(config, LogGate.unbounded(), HermesMetrics.NOOP);
    }

    /**
     * {@link #HermesHub(HermesConfig)} whose per-message log lines (RX, TX, BROADCAST) pass
     * {@code logGate} (the hermes-server command's gate reads its asynchronous log queue) and whose
     * events are counted in {@code metrics} (an operations endpoint's {@link io.hermesnet.telemetry.HermesCounters};
     * {@link HermesMetrics#NOOP} for none).
     */
    public HermesHub(HermesConfig config, LogGate logGate, HermesMetrics metrics) {
        this(config, new LocalStateLog(LocalStateLog.defaultNodeId()), TickSource.local(0), logGate, metrics);
    }

    /** {@link #HermesHub(HermesConfig, LogGate, HermesMetrics)} with no log gate. */
    public HermesHub(HermesConfig config, HermesMetrics metrics) {
        this(config, LogGate.unbounded(), metrics);
    }

    /**
     * A hub whose state lives in {@code stateLog} and whose {@code ID} values come from {@code ticks}: a
     * cluster backend's (docs/protocol.md §6.4). Starts the log: from here on the log applies events to
     * this hub.
     */
    public HermesHub(HermesConfig config, StateLog stateLog, TickSource ticks, LogGate logGate, HermesMetrics metrics) {
        this(config, Clock.systemDefaultZone(), ticks, new UnpooledByteBufAllocator(false, true), stateLog, logGate,
                metrics);
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
        this(config, clock, TickSource.local(firstTick), alloc, new LocalStateLog(LocalStateLog.defaultNodeId()),
                LogGate.unbounded(), metrics);
    }

    private HermesHub(HermesConfig config, Clock clock, TickSource ticks, ByteBufAllocator alloc, StateLog stateLog,
                      LogGate logGate, HermesMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = clock;
        this.ticks = Objects.requireNonNull(ticks, "ticks");
        this.alloc = alloc;
        this.stateLog = Objects.requireNonNull(stateLog, "stateLog");
        this.nodeId = stateLog.nodeId();
        this.logGate = logGate;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rooms = new Rooms(config.roomSize());
        // last: the log may apply events (a cluster's history) from here on, and every field is set
        stateLog.start(this::apply);
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

    /** The log this hub's state changes go through. */
    public StateLog stateLog() {
        return stateLog;
    }

    /** The next value of the unsigned 32-bit {@code ID} counter; wraps to 0. Any thread. */
    public long nextTick() {
        return ticks.nextTick();
    }

    /** Whether a shutdown has begun: no one is admitted and nothing more is broadcast. */
    public boolean isClosing() {
        return closing;
    }

    // ---------------------------------------------------------------- operations (any event loop)

    /**
     * The {@link ClientConnection} of {@code channel}, created on first use, sharing its event loop's
     * queue of lines with the loop's other clients of this hub. Call from {@code channelActive} on, once
     * the pipeline is complete.
     */
    public ClientConnection attach(io.netty.channel.Channel channel) {
        LoopOutbox outbox = outboxes.computeIfAbsent(channel.eventLoop(), LoopOutbox::new);
        return ClientConnection.attach(channel, metrics, config.presenceDelay().toNanos(), outbox);
    }

    /**
     * Asks to admit the client of {@code connection} (docs/protocol.md §3.1). Once admitted — before this
     * returns with a {@link LocalStateLog}, later with a distributed log — the client has the next id,
     * the default name, the lowest rank and a room, its channel's {@link HermesAttributes#SESSION} is
     * set, it has been sent {@code WELCOME} (always its first line), the others {@code JOIN} and
     * {@code CLIENTS}, and {@code onAdmitted} has run on the channel's event loop (outside any lock). A
     * refused client (server or IP full, shutdown begun) is sent {@code ERROR FULL <why>} and closed, and
     * takes no id. Call on the channel's event loop.
     */
    public void join(ClientConnection connection, Runnable onAdmitted) {
        if (closing) {
            refuse(connection, HermesMetrics.Rejection.SHUTTING_DOWN, null);
            return;
        }
        long ticket = lastTicket.incrementAndGet();
        PendingJoin pending = new PendingJoin(connection, onAdmitted);
        pendingJoins.put(ticket, pending);
        stateLog.append(new StateEvent.Join(nodeId, ticket, connection.address(), clock.millis()));
        if (stateLog.appliesInline()) {
            pendingJoins.remove(ticket); // refused: still there
            if (pending.admitted) {
                onAdmitted.run();
            }
        }
    }

    /**
     * Removes {@code s} (docs/protocol.md §3.3, §3.5, §3.7): {@code LEAVE} with {@code reason} and
     * {@code CLIENTS} to the others, promotion of everyone below with {@code RANK}, {@code ROOM WAITING}
     * to the rest of its room, and its pending EXECs ended. Idempotent: only the first call for a session
     * acts. During a shutdown the state is cleared but nothing is broadcast, so {@code BYE} stays last.
     */
    public void leave(Session s, LeaveReason reason) {
        if (s.startLeaving(null)) {
            stateLog.append(new StateEvent.Leave(s.id(), reason));
        }
    }

    /**
     * {@link #leave(Session, LeaveReason)}, then {@code afterLeft} on the channel's event loop once the
     * leave is applied on this server: before this returns with a {@link LocalStateLog}; with a
     * distributed log when the leave comes back in order, so whatever is appended after it — a new
     * client's join on any server — sees the slot free (docs/protocol.md §3.1, §3.8). Should the log not
     * apply it within {@value #LEAVE_WAIT_MS} ms (its store cut off), {@code afterLeft} runs then all the
     * same: the leave stays queued. Runs at most once; if {@code s} was already leaving, at once.
     * Call on the channel's event loop of this server's client {@code s}.
     */
    public void leave(Session s, LeaveReason reason, Runnable afterLeft) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                afterLeft.run();
            }
        };
        if (!s.startLeaving(once)) {
            once.run();
            return;
        }
        stateLog.append(new StateEvent.Leave(s.id(), reason));
        if (stateLog.appliesInline()) {
            once.run();
        } else {
            s.connection().channel().eventLoop().schedule(once, LEAVE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sets {@code s}'s name (docs/protocol.md §2 {@code /nick}): {@code NAME} to it and {@code RENAME} to the
     * others, or {@code ERROR NAME_TAKEN} if another client holds the name in any case.
     *
     * @param name a well-formed, unreserved name ({@link io.hermesnet.protocol.ClientCommand.Nick} guarantees it)
     */
    public void rename(Session s, String name) {
        if (s.isJoined()) {
            stateLog.append(new StateEvent.Rename(s.id(), name));
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
        if (config.turns()) { // the turn is state: ordered with every other change
            if (s.isJoined()) {
                stateLog.append(new StateEvent.Chat(s.id(), text));
            }
            return;
        }
        Room room = s.room();
        Session[] recipients = room.snapshot();
        if (!rooms.isGlobal(room) && recipients.length < config.roomSize()) {
            notReady(s, room);
        } else if (s.isJoined()) {
            relay(s, text, recipients);
            if (!stateLog.appliesInline()) {
                stateLog.publish(new StateEvent.Chat(s.id(), text));
            }
        }
    }

    /**
     * Handles an EXEC (docs/protocol.md §3.6): allowed only when the issuer's rank number is smaller than
     * {@code targetRank}; then the target gets {@code EXEC} and the issuer {@code OK EXEC}. Otherwise the
     * issuer gets {@code ERROR NO_SUCH_RANK} or {@code ERROR FORBIDDEN}. Nothing is ever executed here.
     */
    public void exec(Session issuer, long targetRank, String command) {
        if (issuer.isJoined()) {
            stateLog.append(new StateEvent.Exec(issuer.id(), targetRank, command));
        }
    }

    /**
     * Routes a target's {@code /result} to the EXEC's issuer as {@code RESULT}; one result per EXEC.
     * From anyone but that EXEC's target, or for an unknown or answered id: {@code ERROR NO_SUCH_EXEC}.
     */
    public void result(Session from, long execId, String text) {
        if (from.isJoined()) {
            stateLog.append(new StateEvent.Result(from.id(), execId, text));
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
        if (from.isJoined() && !closing) { // during a shutdown BYE is every client's last line
            stateLog.append(new StateEvent.Direct(from.id(), name, text));
        }
    }

    /** Answers {@code /who}: one {@code WHO} row per client in rank order, then {@code END WHO <count>}. */
    public void who(Session s) {
        synchronized (stateLock) {
            for (Session m : members.ranked()) {
                s.send(new ServerEvent.WhoEntry(m.id(), m.name(), m.rank(), m.roomId(), m.address()));
            }
            s.send(new ServerEvent.WhoEnd(members.size()));
        }
    }

    /** Answers {@code /rank} with {@code RANK <rank>}. */
    public void rank(Session s) {
        synchronized (stateLock) {
            s.send(new ServerEvent.Rank(s.rank()));
        }
    }

    /**
     * Begins a graceful shutdown (docs/protocol.md §3.9): no one is admitted any more, nothing more is broadcast,
     * and every client of this server gets {@code BYE <byeText>} as its last line and is closed once it
     * is flushed. Idempotent in effect.
     *
     * @return the close futures of the clients' channels, for the caller's bounded wait
     */
    public List<ChannelFuture> shutdown(String byeText) {
        List<ClientConnection> connections = new ArrayList<>();
        synchronized (stateLock) {
            closing = true;
            for (Session s : members.ranked()) {
                if (s.isLocal()) {
                    connections.add(s.connection());
                }
            }
        }
        // outside the lock: a close on a client's own event loop runs its leave at once
        ServerEvent.Bye bye = new ServerEvent.Bye(byeText);
        List<ChannelFuture> closes = new ArrayList<>(connections.size());
        for (ClientConnection c : connections) {
            c.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.CLOSED);
            closes.add(c.closeNow(bye)); // ahead of a flood still queued: the exit is bounded
        }
        log.info(HermesMarkers.STATE, "Shutdown: sent BYE {} to {} clients", byeText, closes.size());
        return closes;
    }

    /** The connected clients in rank order, on every server sharing the state: a snapshot. */
    public List<Session> sessions() {
        synchronized (stateLock) {
            return List.copyOf(members.ranked());
        }
    }

    /** The number of connected clients, on every server sharing the state. */
    public int clientCount() {
        synchronized (stateLock) {
            return members.size();
        }
    }

    /** The number of rooms (0 when rooms are off): for leak checks. */
    public int roomCount() {
        synchronized (stateLock) {
            return rooms.size();
        }
    }

    /** The number of EXECs waiting for a {@code /result}. */
    public int pendingExecCount() {
        synchronized (stateLock) {
            return execs.size();
        }
    }

    // ---------------------------------------------------------------- the applier

    /**
     * Applies one state event: called by the {@link StateLog}, one event at a time, in the log's order.
     * Deterministic: reads only the event and the state.
     */
    private void apply(StateEvent event) {
        synchronized (stateLock) {
            if (event instanceof StateEvent.Chat e) { // the most frequent first
                applyChat(e);
            } else if (event instanceof StateEvent.Join e) {
                applyJoin(e);
            } else if (event instanceof StateEvent.Leave e) {
                applyLeave(members.byId(e.clientId()), e.reason());
            } else if (event instanceof StateEvent.Rename e) {
                applyRename(e);
            } else if (event instanceof StateEvent.Exec e) {
                applyExec(e);
            } else if (event instanceof StateEvent.Result e) {
                applyResult(e);
            } else if (event instanceof StateEvent.ExecExpired e) {
                applyExecExpired(e);
            } else if (event instanceof StateEvent.Direct e) {
                applyDirect(e);
            } else if (event instanceof StateEvent.NodeDown e) {
                applyNodeDown(e);
            } else {
                throw new IllegalArgumentException("unknown state event " + event);
            }
        }
    }

    private void applyJoin(StateEvent.Join e) {
        boolean local = e.node().equals(nodeId);
        PendingJoin pending = local ? pendingJoins.remove(e.ticket()) : null;
        ClientConnection connection = pending != null ? pending.connection : null;
        String ip = Membership.ipOf(e.address());
        HermesMetrics.Rejection rejection = admissionRefusal(ip);
        if (rejection != null) {
            if (connection != null) {
                refuse(connection, rejection, ip);
            }
            return;
        }
        long id = members.nextId();
        Session s = new Session(id, Names.defaultName(id), members.size(), e.node(), e.address(),
                Instant.ofEpochMilli(e.sinceMillis()), connection);
        if (connection != null) {
            connection.channel().attr(HermesAttributes.SESSION).set(s);
        }
        members.add(s);
        // WELCOME is queued first, so it is the first line even if another event loop relays chat to
        // the newcomer at once; then the newcomer becomes a room member before JOIN goes out, so chat
        // relayed by anyone who has seen the JOIN reaches it (the fan-out reads the room's snapshot).
        s.send(new ServerEvent.Welcome(id, s.name(), s.rank(), config.welcomeText()));
        Room room = rooms.enter(s);
        Session[] all = members.toArray();
        fanOut(new ServerEvent.Join(id, s.name()), all, s, false);
        fanOut(new ServerEvent.Clients(all.length), all, null, false);
        log.info(HermesMarkers.STATE, clientLine(s, "Client {} connected from {} ({} clients)", id, s.address(), all.length));
        if (s.isLocal()) {
            metrics.connectionAccepted();
        }
        announceRoom(s, room);
        if (connection != null) {
            pending.admitted = true;
            if (!stateLog.appliesInline()) {
                connection.channel().eventLoop().execute(pending.onAdmitted);
            }
        } else if (local) {
            // this server's connection closed before its join came back: the others saw it join, so it leaves
            stateLog.append(new StateEvent.Leave(id, LeaveReason.CLOSED));
        }
    }

    /** A STATE line about {@code s} carrying its id, name and address as fields for the JSON layout. */
    private static ClientLogMessage clientLine(Session s, String format, Object... args) {
        return ClientLogMessage.of(s.id(), s.name(), s.address(), format, args);
    }

    private HermesMetrics.Rejection admissionRefusal(String ip) {
        if (members.size() >= config.maxClients()) {
            return HermesMetrics.Rejection.FULL;
        }
        if (config.maxPerIp() > 0 && members.fromIp(ip) >= config.maxPerIp()) {
            return HermesMetrics.Rejection.PER_IP;
        }
        return null;
    }

    private void refuse(ClientConnection connection, HermesMetrics.Rejection rejection, String ip) {
        String refusal = switch (rejection) {
            case SHUTTING_DOWN -> "server is shutting down";
            case FULL -> "server is full (" + config.maxClients() + "/" + config.maxClients() + ")";
            case PER_IP -> "too many connections from " + ip;
        };
        log.info(HermesMarkers.STATE, ClientLogMessage.ofAddress(connection.address(), "Rejected {}: {}",
                connection.address(), refusal));
        metrics.connectionRejected(rejection);
        connection.closeWith(new ServerEvent.Error(ErrorCode.FULL, refusal));
    }

    /** The room lines of {@code s}'s arrival in {@code room}: {@code ROOM … READY} (and turns) or {@code ROOM … WAITING}. */
    private void announceRoom(Session s, Room room) {
        if (rooms.isGlobal(room)) {
            return;
        }
        if (room.isReady()) {
            log.info(HermesMarkers.STATE, "Room {} ready: {}", room.id(), memberNames(room));
            fanOut(new ServerEvent.RoomReady(room.id(), memberNames(room)), room.snapshot(), null, true);
            if (config.turns()) {
                announceTurns(room);
            }
        } else {
            log.info(HermesMarkers.STATE, clientLine(s, "Client {} waits in room {}", s.id(), room.id()));
            s.send(new ServerEvent.RoomWaiting(room.id()));
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

    private void applyLeave(Session s, LeaveReason reason) {
        if (s == null || !s.isMember()) {
            return;
        }
        s.left();
        int index = members.remove(s);
        Runnable afterLeft = s.afterLeft();
        if (afterLeft != null && s.isLocal() && !stateLog.appliesInline()) {
            try {
                s.connection().channel().eventLoop().execute(afterLeft);
            } catch (RejectedExecutionException e) {
                // the server's loops are stopping: the channel closes with them, and the leave goes on
            }
        }
        endExecsOf(s);
        log.info(HermesMarkers.STATE, clientLine(s, "Client {} ({}) disconnected: {} ({} clients)", s.id(), s.name(),
                reason.wire(), members.size()));
        if (s.isLocal()) {
            metrics.disconnected(reason);
        }
        Room room = s.room();
        boolean wasReady = room.isReady();
        rooms.leave(s);
        if (closing) {
            return;
        }
        Session[] all = members.toArray();
        fanOut(new ServerEvent.Leave(s.id(), s.name(), reason), all, null, false);
        fanOut(new ServerEvent.Clients(all.length), all, null, false);
        for (int i = index; i < all.length; i++) {
            all[i].sendPresence(new ServerEvent.Rank(all[i].rank()));
        }
        if (!rooms.isGlobal(room) && wasReady && !room.isEmpty()) {
            log.info(HermesMarkers.STATE, "Room {} waiting again", room.id());
            fanOut(new ServerEvent.RoomWaiting(room.id()), room.snapshot(), null, true);
        }
    }

    private void applyRename(StateEvent.Rename e) {
        Session s = members.byId(e.clientId());
        if (s == null || !s.isMember()) {
            return;
        }
        String name = e.name();
        Session holder = members.byName(name);
        if (holder != null && holder != s) {
            s.send(new ServerEvent.Error(ErrorCode.NAME_TAKEN, "name " + name + " is in use"));
            return;
        }
        String old = s.name();
        s.send(new ServerEvent.Name(name));
        if (old.equals(name)) {
            return;
        }
        members.rename(s, name);
        fanOut(new ServerEvent.Rename(s.id(), old, name), members.toArray(), s, true);
        log.info(HermesMarkers.STATE, clientLine(s, "Client {} renamed {} -> {}", s.id(), old, name));
    }

    private void applyChat(StateEvent.Chat e) {
        Session s = members.byId(e.clientId());
        if (s == null || !s.isMember()) {
            return;
        }
        Room room = s.room();
        if (!config.turns()) { // published by another server; its own clients have it already
            if (!s.isLocal() && (rooms.isGlobal(room) || room.isReady())) {
                relay(s, e.text(), room.snapshot());
            }
            return;
        }
        if (!room.isReady()) {
            notReady(s, room);
        } else if (room.turnHolder() != s) {
            s.send(new ServerEvent.Error(ErrorCode.NOT_YOUR_TURN, "wait for TURN WRITE"));
        } else {
            relay(s, e.text(), room.snapshot());
            room.passTurn();
            announceTurns(room);
        }
    }

    private void notReady(Session s, Room room) {
        s.send(new ServerEvent.Error(ErrorCode.NOT_READY, "room " + room.id() + " is waiting for more members"));
    }

    private void relay(Session s, String text, Session[] recipients) {
        int n = fanOut(new ServerEvent.Msg(s.id(), s.name(), text), recipients, s, true);
        if (config.echo()) {
            s.send(new ServerEvent.Echo(text));
        }
        if (!config.quiet() && log.isInfoEnabled(HermesMarkers.BROADCAST) && logGate.admit()) {
            log.info(HermesMarkers.BROADCAST, "Broadcasting to {} clients", n);
        }
    }

    private void applyExec(StateEvent.Exec e) {
        Session issuer = members.byId(e.issuerId());
        if (issuer == null || !issuer.isMember()) {
            return;
        }
        int fromRank = issuer.rank();
        long targetRank = e.targetRank();
        if (targetRank >= members.size()) {
            refuseExec(issuer, e, HermesMetrics.ExecOutcome.NO_SUCH_RANK, ErrorCode.NO_SUCH_RANK,
                    "no client holds rank " + targetRank);
        } else if (fromRank >= targetRank) {
            refuseExec(issuer, e, HermesMetrics.ExecOutcome.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "rank " + fromRank + " may only EXEC on ranks below it (numbers greater than " + fromRank + ")");
        } else {
            Session target = members.atRank((int) targetRank); // below members.size(), so an int
            PendingExecs.Pending pending = execs.add(issuer, target);
            long execId = pending.id;
            if (issuer.isLocal()) {
                metrics.exec(HermesMetrics.ExecOutcome.ALLOWED, 1);
                if (!config.execTimeout().isZero()) {
                    // on the issuer's event loop: the applier never waits, and the timer dies with that loop
                    pending.timer = issuer.channel().eventLoop().schedule(
                            () -> stateLog.append(new StateEvent.ExecExpired(execId)),
                            config.execTimeout().toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            target.send(new ServerEvent.ExecRequest(execId, fromRank, issuer.name(), e.command()));
            issuer.send(new ServerEvent.ExecAccepted(execId, (int) targetRank, target.name()));
            log.info(HermesMarkers.EXEC, "EXEC {} from client {} ({}, rank {}) to client {} ({}, rank {}): {} -> allowed",
                    execId, issuer.id(), issuer.name(), fromRank, target.id(), target.name(), targetRank, e.command());
        }
    }

    private void refuseExec(Session issuer, StateEvent.Exec e, HermesMetrics.ExecOutcome outcome, ErrorCode code,
                            String text) {
        if (issuer.isLocal()) {
            metrics.exec(outcome, 1);
        }
        issuer.send(new ServerEvent.Error(code, text));
        log.info(HermesMarkers.EXEC, "EXEC from client {} ({}, rank {}) to rank {}: {} -> refused {}", issuer.id(),
                issuer.name(), issuer.rank(), e.targetRank(), e.command(), code);
    }

    private void applyResult(StateEvent.Result e) {
        Session from = members.byId(e.fromId());
        if (from == null || !from.isMember()) {
            return;
        }
        PendingExecs.Pending p = execs.get(e.execId());
        if (p == null || p.target != from) {
            from.send(new ServerEvent.Error(ErrorCode.NO_SUCH_EXEC, "no pending EXEC " + e.execId() + " for you"));
            return;
        }
        execs.remove(e.execId());
        if (p.issuer.isLocal()) {
            metrics.exec(HermesMetrics.ExecOutcome.ANSWERED, 1);
        }
        p.issuer.send(new ServerEvent.ExecResult(e.execId(), from.name(), e.text()));
        log.info(HermesMarkers.EXEC, "EXEC {} result from client {} ({}) to client {} ({}): {}", e.execId(), from.id(),
                from.name(), p.issuer.id(), p.issuer.name(), e.text());
    }

    private void applyExecExpired(StateEvent.ExecExpired e) {
        PendingExecs.Pending p = execs.remove(e.execId());
        if (p != null) {
            noAnswer(p, "timed out after " + config.execTimeout().toMillis() + " ms");
        }
    }

    /**
     * Ends every EXEC pending for or from {@code s}, which is leaving: an issuer still here learns its
     * EXEC will get no answer (docs/protocol.md §3.6); an EXEC whose issuer left is dropped.
     */
    private void endExecsOf(Session s) {
        for (PendingExecs.Pending p : execs.removeAllOf(s)) {
            if (p.issuer != s) {
                noAnswer(p, "its target left");
            } else if (p.issuer.isLocal()) {
                metrics.exec(HermesMetrics.ExecOutcome.NO_ANSWER, 1);
            }
        }
    }

    /** {@code ERROR NO_SUCH_EXEC <execId> no answer} to the issuer, and the EXEC log line. */
    private void noAnswer(PendingExecs.Pending p, String why) {
        if (p.issuer.isLocal()) {
            metrics.exec(HermesMetrics.ExecOutcome.NO_ANSWER, 1);
        }
        if (!closing) { // during a shutdown BYE is every client's last line
            p.issuer.send(new ServerEvent.Error(ErrorCode.NO_SUCH_EXEC, p.id + " no answer"));
        }
        log.info(HermesMarkers.EXEC, "EXEC {} from client {} ({}) to client {} ({}): no answer, {}", p.id,
                p.issuer.id(), p.issuer.name(), p.target.id(), p.target.name(), why);
    }

    private void applyDirect(StateEvent.Direct e) {
        Session from = members.byId(e.fromId());
        if (from == null || !from.isMember() || closing) {
            return;
        }
        Session target = members.byName(e.toName());
        if (target == null || config.roomsEnabled() && target.room() != from.room()) {
            from.send(new ServerEvent.Error(ErrorCode.NO_SUCH_NAME,
                    "no client named " + e.toName() + (config.roomsEnabled() ? " in your room" : "")));
        } else if (target == from) {
            from.send(new ServerEvent.Error(ErrorCode.BAD_ARGS, "that is you; /msg is for someone else"));
        } else {
            target.send(new ServerEvent.Dm(from.id(), from.name(), e.text()));
        }
    }

    private void applyNodeDown(StateEvent.NodeDown e) {
        for (Session s : members.toArray()) {
            if (s.node().equals(e.node())) {
                applyLeave(s, LeaveReason.NODE);
            }
        }
    }

    /**
     * Encodes {@code event} once and sends that one buffer to every target connected here but
     * {@code except}: copied into the batches of this loop's recipients, one {@link LoopOutbox} entry per
     * other loop; flushed once per batch of I/O. Nothing
     * once a shutdown has begun. Returns the number of recipients.
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
        // the recipients on this thread's event loop get the line copied into their batches now (when
        // nothing is queued there); every other loop gets one queue entry for all of its recipients.
        // Each queue's choice is made once per fan-out, so a send made meanwhile (a reentrant leave) can
        // never give a recipient the line both ways.
        LoopOutbox[] outboxes = new LoopOutbox[4];
        boolean[] direct = new boolean[4];
        int seen = 0;
        try {
            for (Session t : targets) {
                ClientConnection c = t.connection();
                if (t == except || c == null || !t.isJoined() || c.isClosing()) {
                    continue;
                }
                n++;
                LoopOutbox o = c.outbox();
                int k = 0;
                while (k < seen && outboxes[k] != o) {
                    k++;
                }
                if (k == seen) {
                    if (seen == outboxes.length) {
                        outboxes = java.util.Arrays.copyOf(outboxes, seen * 2);
                        direct = java.util.Arrays.copyOf(direct, seen * 2);
                    }
                    outboxes[k] = o;
                    direct[k] = o.mayBypass(); // on its loop, nothing queued, no drain running
                    seen++;
                }
                if (direct[k]) { // (an embedder's pipeline without a coalescer is written through here)
                    c.appendShared(line, urgent);
                }
            }
            for (int k = 0; k < seen; k++) {
                if (!direct[k]) {
                    outboxes[k].add(new LoopOutbox.Shared(line.retain(), targets, except, urgent));
                }
            }
        } finally {
            line.release();
        }
        metrics.linesDelivered(n); // once per fan-out, not per recipient
        return n;
    }
}
