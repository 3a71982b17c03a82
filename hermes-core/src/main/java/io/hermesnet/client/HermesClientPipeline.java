package io.hermesnet.client;

import io.hermesnet.codec.ServerEventDecoder;
import io.hermesnet.codec.TelnetLineDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds the pipeline of one client connection to a HermesNet server: the one factory used by
 * {@code hermes-client} and by the tests, and the way library users build their own clients. Every
 * stage has a named constant.
 *
 * <pre>
 * FRAME_DECODER  LineBasedFrameDecoder  bytes → frame (CRLF or LF, at most maxLineBytes, fail fast)
 * LINE_DECODER   TelnetLineDecoder      frame → String (strict UTF-8; a bad line is dropped and reported)
 * LINE_ENCODER   LineEncoder            outbound String → UTF-8 bytes + LF (docs/protocol.md §2 Framing)
 * WIRE_LOG       ClientWireLogHandler   STATE/RX/TX log lines (only if wireLog)
 * RAW_LINES      RawLineTap             each line as received → ClientListener.onLine
 * EVENT_DECODER  ServerEventDecoder     String → ServerEvent
 * STATE          ClientStateHandler     keeps the channel's ClientState
 * EXEC           ExecResponder          answers EXEC from an ExecRegistry (only if a registry is given)
 * EVENTS         ClientEventHandler     events, connect/disconnect, errors → ClientListener
 * </pre>
 *
 * <p>To send, write one line as a {@code String} without its terminator, e.g.
 * {@code channel.writeAndFlush("/nick alice")}; a string holding a line break would send several lines.
 *
 * <p>Thread-safe: the sharable stages are created once per factory and shared by its channels; the
 * listener is shared too, so it sees the events of every channel this factory configures.
 */
public final class HermesClientPipeline {
    public static final String FRAME_DECODER = "frameDecoder";
    public static final String LINE_DECODER = "lineDecoder";
    public static final String LINE_ENCODER = "lineEncoder";
    public static final String WIRE_LOG = "wireLog";
    public static final String RAW_LINES = "rawLines";
    public static final String EVENT_DECODER = "eventDecoder";
    public static final String STATE = "state";
    public static final String EXEC = "exec";
    public static final String EVENTS = "events";

    /**
     * The default longest server line the client accepts, in bytes, terminator excluded. A server relays
     * client lines of at most its {@code --max-line} (default 4096 bytes) with a short prefix, so this
     * leaves room for servers configured well above the default.
     */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private static final LineEncoder LINE_ENCODER_INSTANCE = new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8);

    private final ClientListener listener;
    private final ExecResponder exec;
    private final RawLineTap rawLines;
    private final int maxLineBytes;
    private final boolean wireLog;

    /**
     * A factory with {@link #DEFAULT_MAX_LINE_BYTES} and the wire log on.
     *
     * @param registry the commands to answer EXEC with, or {@code null} to leave EXEC requests unanswered
     *                 (they still reach the listener)
     */
    public HermesClientPipeline(ClientListener listener, ExecRegistry registry) {
        this(listener, registry, DEFAULT_MAX_LINE_BYTES, true);
    }

    /**
     * A factory.
     *
     * @param listener     receives the events of every channel configured by this factory
     * @param registry     the commands to answer EXEC with, or {@code null} for no {@link #EXEC} stage
     * @param maxLineBytes longest accepted server line in bytes, terminator excluded; longer lines are
     *                     dropped and reported to {@link ClientListener#onBadLine}
     * @param wireLog      whether to add the {@link #WIRE_LOG} stage
     * @throws IllegalArgumentException if {@code maxLineBytes} is less than 1
     */
    public HermesClientPipeline(ClientListener listener, ExecRegistry registry, int maxLineBytes, boolean wireLog) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1: " + maxLineBytes);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.exec = registry != null ? new ExecResponder(registry) : null;
        this.rawLines = new RawLineTap(listener);
        this.maxLineBytes = maxLineBytes;
        this.wireLog = wireLog;
    }

    /** Adds every stage, in order, to {@code p}. Call before the channel is active. */
    public void configure(ChannelPipeline p) {
        p.addLast(FRAME_DECODER, new LineBasedFrameDecoder(maxLineBytes, true, true));
        p.addLast(LINE_DECODER, TelnetLineDecoder.INSTANCE);
        p.addLast(LINE_ENCODER, LINE_ENCODER_INSTANCE);
        if (wireLog) {
            p.addLast(WIRE_LOG, ClientWireLogHandler.INSTANCE);
        }
        p.addLast(RAW_LINES, rawLines);
        p.addLast(EVENT_DECODER, ServerEventDecoder.INSTANCE);
        p.addLast(STATE, ClientStateHandler.INSTANCE);
        if (exec != null) {
            p.addLast(EXEC, exec);
        }
        p.addLast(EVENTS, new ClientEventHandler(listener));
    }

    /** A {@code ChannelInitializer} that {@link #configure configures} each channel, for a {@code Bootstrap}. */
    public ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                configure(ch.pipeline());
            }
        };
    }
}
