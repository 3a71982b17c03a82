package io.hermesnet.server;

import io.hermesnet.codec.CommandDecoder;
import io.hermesnet.codec.LineFrameDecoder;
import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.codec.TelnetLineDecoder;
import io.hermesnet.codec.TelnetOptionHandler;
import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.handler.AdmissionHandler;
import io.hermesnet.handler.ChatRelayHandler;
import io.hermesnet.handler.ErrorHandler;
import io.hermesnet.handler.ExecHandler;
import io.hermesnet.handler.HelpHandler;
import io.hermesnet.handler.IdTickerHandler;
import io.hermesnet.handler.IdleDisconnectHandler;
import io.hermesnet.handler.LineIdleStateHandler;
import io.hermesnet.handler.LogoutHandler;
import io.hermesnet.handler.MsgHandler;
import io.hermesnet.handler.NickHandler;
import io.hermesnet.handler.RankHandler;
import io.hermesnet.handler.RateLimitHandler;
import io.hermesnet.handler.SlowConsumerHandler;
import io.hermesnet.handler.TrafficCountingHandler;
import io.hermesnet.handler.WhoHandler;
import io.hermesnet.handler.WireLogHandler;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.tls.TlsHandshakeHandler;
import io.hermesnet.websocket.ChatPage;
import io.hermesnet.websocket.WebSocketPipeline;
import io.hermesnet.websocket.WebSocketSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Builds the server pipeline of one connection: the one factory used by {@link HermesServer}'s
 * {@code ChannelInitializer} and by the tests, so tests exercise exactly what runs. Every stage has
 * a named constant.
 *
 * <pre>
 * TLS             SslHandler             TLS 1.2/1.3 (only on a TLS listener: {@link #configure(ChannelPipeline, ServerTls)})
 * TLS_HANDSHAKE   TlsHandshakeHandler    channelActive held back until the handshake succeeds (only on TLS)
 * TRAFFIC         TrafficCountingHandler bytes in and out per batch (only with a hub's {@link HermesMetrics})
 * SLOW_CONSUMER   SlowConsumerHandler    cuts a client over --max-pending or --write-timeout (sendq)
 * WRITE_COALESCER WriteCoalescingHandler one batch buffer per flush instead of one write per line
 * TELNET          TelnetOptionHandler    IAC removed from the bytes, negotiation answered, IP/BRK → logout (not on WebSocket)
 * FRAME_DECODER   LineFrameDecoder       bytes → frame (LF or CRLF, --max-line bytes, fail fast)
 * IDLE_STATE      LineIdleStateHandler   reader-idle events: no complete line for --idle-timeout (only with it)
 * IDLE            IdleDisconnectHandler  BYE Idle timeout, reason idle (only with --idle-timeout)
 * RATE_LIMIT      RateLimitHandler       token bucket of --max-rate lines/s (only with --max-rate)
 * LINE_DECODER    TelnetLineDecoder      frame → String (IAC removed, strict UTF-8)
 * WIRE_LOG        WireLogHandler         RX log lines, inbound only (absent with --quiet); the
 *                                        coalescer shows it every sent line for the TX log
 * COMMAND_DECODER CommandDecoder         String → ClientCommand
 * EVENT_ENCODER   ServerEventEncoder     ServerEvent → CRLF line
 * ADMISSION       AdmissionHandler       join/refuse on active, leave on inactive
 * TICKER          IdTickerHandler        ID every tick (absent with ticks off)
 * LOGOUT … CHAT   one handler per command concern (logout, nick, who, rank, exec, msg, help, chat)
 * ERRORS          ErrorHandler           unknown/malformed commands, codec refusals, exceptions
 * </pre>
 *
 * <p>A browser connection ({@link #configureWebSocket}) speaks HTTP first ({@link WebSocketPipeline});
 * once upgraded to WebSocket it has the same stages from {@link #TRAFFIC} on, without {@link #TELNET},
 * behind two framing adapters: text frames to line bytes, and batches of lines to text frames.
 *
 * <p>An embedder may leave {@link #WRITE_COALESCER} out (remove it before the channel is active): the
 * fan-out then writes each line through the pipeline. A session looks the coalescer up once, when its
 * client is admitted, so the stage is not to be removed from a live channel.
 *
 * <p>Thread-safe: the sharable handlers are created once per instance and shared by its channels.
 */
public final class HermesPipeline {
    public static final String TLS = "tls";
    public static final String TLS_HANDSHAKE = "tlsHandshake";
    public static final String TRAFFIC = "traffic";
    public static final String SLOW_CONSUMER = "slowConsumer";
    public static final String WRITE_COALESCER = "writeCoalescer";
    public static final String IDLE_STATE = "idleState";
    public static final String IDLE = "idle";
    public static final String TELNET = "telnet";
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String RATE_LIMIT = "rateLimit";
    public static final String LINE_DECODER = "lineDecoder";
    public static final String WIRE_LOG = "wireLog";
    public static final String COMMAND_DECODER = "commandDecoder";
    public static final String EVENT_ENCODER = "eventEncoder";
    public static final String ADMISSION = "admission";
    public static final String TICKER = "ticker";
    public static final String LOGOUT = "logout";
    public static final String NICK = "nick";
    public static final String WHO = "who";
    public static final String RANK = "rank";
    public static final String EXEC = "exec";
    public static final String MSG = "msg";
    public static final String HELP = "help";
    public static final String CHAT = "chat";
    public static final String ERRORS = "errors";

    private final HermesHub hub;
    private final AdmissionHandler admission;
    private final IdleDisconnectHandler idle;
    private final LogoutHandler logout;
    private final NickHandler nick;
    private final WhoHandler who;
    private final RankHandler rank;
    private final ExecHandler exec;
    private final MsgHandler msg;
    private final ChatRelayHandler chat;
    private final WireLogHandler wireLog;
    private final ServerEventEncoder encoder;

    /** A pipeline factory for the clients of {@code hub}. */
    public HermesPipeline(HermesHub hub) {
        this.hub = hub;
        this.admission = new AdmissionHandler(hub);
        this.idle = new IdleDisconnectHandler(hub);
        this.logout = new LogoutHandler(hub);
        this.nick = new NickHandler(hub);
        this.who = new WhoHandler(hub);
        this.rank = new RankHandler(hub);
        this.exec = new ExecHandler(hub);
        this.msg = new MsgHandler(hub);
        this.chat = new ChatRelayHandler(hub);
        this.wireLog = new WireLogHandler(hub.logGate());
        this.encoder = counting() ? new ServerEventEncoder(hub.metrics()) : ServerEventEncoder.INSTANCE;
    }

    /** Whether the hub counts: without metrics the pipeline has no counting stage at all. */
    private boolean counting() {
        return hub.metrics() != HermesMetrics.NOOP;
    }

    /** The hub the handlers serve. */
    public HermesHub hub() {
        return hub;
    }

    /** Adds every stage, in order, to {@code p}: a plain-text connection. Call before the channel is active. */
    public void configure(ChannelPipeline p) {
        configure(p, null);
    }

    /**
     * Adds every stage, in order, to {@code p}; with {@code tls}, the connection speaks TLS
     * (docs/protocol.md §6.1): {@link #TLS} and {@link #TLS_HANDSHAKE} come first, and the client is
     * admitted only once its handshake has succeeded. Call from the channel's event loop, before the
     * channel is active (as a {@code ChannelInitializer} does).
     *
     * @param tls the certificate the connection is served with, or {@code null} for plain text
     */
    public void configure(ChannelPipeline p, ServerTls tls) {
        addTlsStages(p, tls);
        addLineStages(p, true);
    }

    /**
     * Adds the stages of a browser connection to {@code p} (docs/protocol.md §6.3): TLS as in
     * {@link #configure(ChannelPipeline, ServerTls)}, then HTTP for the chat page and the WebSocket
     * upgrade; once upgraded, {@code webSocket}'s framing adapters and then the line stages of a TCP
     * client ({@link #addLineStages}), so every behaviour and limit is a TCP client's. Call before the
     * channel is active.
     *
     * @param tls the certificate the connection is served with ({@code https}, {@code wss}), or {@code null}
     */
    public void configureWebSocket(ChannelPipeline p, ServerTls tls, WebSocketPipeline webSocket) {
        addTlsStages(p, tls);
        webSocket.addHttpStages(p);
    }

    /**
     * A browser connection's stages for {@code settings}: the chat page (read from the jar now, so call
     * this while setting up) and the WebSocket endpoint with a frame payload limit of {@code --max-line}.
     */
    public WebSocketPipeline webSocket(WebSocketSettings settings) {
        return new WebSocketPipeline(settings, ChatPage.load(), hub.config().maxLineBytes(), p -> addLineStages(p, false));
    }

    private static void addTlsStages(ChannelPipeline p, ServerTls tls) {
        if (tls != null) {
            p.addLast(TLS, tls.newHandler(p.channel().alloc()));
            p.addLast(TLS_HANDSHAKE, new TlsHandshakeHandler());
        }
    }

    /**
     * Adds the stages of a line client at the end of {@code p}, from {@link #TRAFFIC} to {@link #ERRORS}:
     * what a TCP client has after its TLS stages, and a WebSocket client after its framing adapters
     * (docs/protocol.md §6.3). The client is admitted on the {@code channelActive} that reaches them.
     *
     * @param telnet whether to add {@link #TELNET}: for a byte stream, not for WebSocket messages
     */
    public void addLineStages(ChannelPipeline p, boolean telnet) {
        HermesConfig config = hub.config();
        if (counting()) {
            p.addLast(TRAFFIC, new TrafficCountingHandler(hub.metrics()));
        }
        p.addLast(SLOW_CONSUMER, new SlowConsumerHandler(config.maxPendingBytes(), config.writeTimeout().toNanos()));
        // the fan-out appends to the coalescer directly only when no outbound handler sits between it and
        // the tail; for that reason the TX log is the coalescer's listener, not an outbound stage
        p.addLast(WRITE_COALESCER, new WriteCoalescingHandler(WriteCoalescingHandler.DEFAULT_MAX_BATCH_BYTES,
                config.quiet() ? null : wireLog.txListener()));
        if (telnet) {
            p.addLast(TELNET, new TelnetOptionHandler());
        }
        p.addLast(FRAME_DECODER, new LineFrameDecoder(config.maxLineBytes(), hub.metrics()));
        if (!config.idleTimeout().isZero()) {
            // docs/protocol.md §3.11: idle = no complete line, so the clock sees frames, not bytes; before the
            // rate limit, so a line it drops still counts as received
            p.addLast(IDLE_STATE, new LineIdleStateHandler(config.idleTimeout().toNanos()));
            p.addLast(IDLE, idle);
        }
        if (config.maxRate() > 0) {
            p.addLast(RATE_LIMIT, new RateLimitHandler(config.maxRate()));
        }
        p.addLast(LINE_DECODER, TelnetLineDecoder.INSTANCE);
        if (!config.quiet()) {
            p.addLast(WIRE_LOG, wireLog);
        }
        p.addLast(COMMAND_DECODER, CommandDecoder.INSTANCE);
        p.addLast(EVENT_ENCODER, encoder);
        p.addLast(ADMISSION, admission);
        if (!config.tickInterval().isZero()) { // a stage fewer per idle client when ticks are off
            p.addLast(TICKER, new IdTickerHandler(hub));
        }
        p.addLast(LOGOUT, logout);
        p.addLast(NICK, nick);
        p.addLast(WHO, who);
        p.addLast(RANK, rank);
        p.addLast(EXEC, exec);
        p.addLast(MSG, msg);
        p.addLast(HELP, HelpHandler.INSTANCE);
        p.addLast(CHAT, chat);
        p.addLast(ERRORS, ErrorHandler.INSTANCE);
    }

    /**
     * The frame decoder of the {@link #FRAME_DECODER} stage, a {@link LineFrameDecoder} of
     * {@code maxLineBytes} (terminator excluded). Not sharable: one per channel.
     */
    public static ByteToMessageDecoder newFrameDecoder(int maxLineBytes) {
        return new LineFrameDecoder(maxLineBytes);
    }

    /** A {@code ChannelInitializer} that {@link #configure configures} each accepted channel. */
    public ChannelInitializer<Channel> initializer() {
        return initializer(null);
    }

    /**
     * A {@code ChannelInitializer} that {@link #configure(ChannelPipeline, ServerTls) configures} each
     * accepted channel, with TLS when {@code tls} is not {@code null}.
     */
    public ChannelInitializer<Channel> initializer(ServerTls tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                configure(ch.pipeline(), tls);
            }
        };
    }

    /**
     * A {@code ChannelInitializer} that {@link #configureWebSocket configures} each accepted channel as a
     * browser connection, with TLS when {@code tls} is not {@code null}.
     */
    public ChannelInitializer<Channel> webSocketInitializer(ServerTls tls, WebSocketPipeline webSocket) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                configureWebSocket(ch.pipeline(), tls, webSocket);
            }
        };
    }
}
