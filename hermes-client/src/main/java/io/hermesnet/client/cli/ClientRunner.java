package io.hermesnet.client.cli;

import io.hermesnet.client.ClientListener;
import io.hermesnet.client.ClientState;
import io.hermesnet.client.ConnectFailures;
import io.hermesnet.client.ExecRegistry;
import io.hermesnet.client.HermesClientPipeline;
import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.Names;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the client: connect, get a name ({@code /nick}, or a free variant {@code name-2}, … when it
 * is taken), relay input and events until the user leaves, retrying with {@link Backoff} when asked to
 * (docs/client.md).
 *
 * <p>With {@code --reconnect}, every close the user did not ask for (the server's {@code BYE Thank you}
 * or {@code BYE THE SERVER WILL DISCONNECT}, a refusal such as {@code FULL}, a lost connection) is
 * followed by a new attempt after a capped, jittered delay, one line per attempt; the name is asked for
 * again. Only the user's own logout (or the attempt limit, when one is set) ends it.
 *
 * <p>Piped input: lines are held until the name is settled, sent in order, and at the end of the input
 * the client waits (at most {@link ClientOptions#replyTimeout}) for the answers to the EXECs it sent
 * before logging out; every other answer comes before {@code BYE} anyway, because the server answers a
 * connection's lines in order.
 *
 * <p>Exit codes: 0 after {@code BYE} (the user logged out, or the server closed the connection with
 * {@code BYE} and there is no {@code --reconnect}); 1 when the connection could not be made or was lost
 * and no retry is left, or when the server did not answer a logout with {@code BYE} in time.
 *
 * <p>Threading: {@link #run} runs on the calling (main) thread, which owns every field; the event loop
 * and the console's input thread only put {@link Signal}s on the queue. Nothing here blocks the event
 * loop.
 */
final class ClientRunner {
    private static final Logger log = LogManager.getLogger(ClientRunner.class);
    /** How many free variants ({@code name-2} … {@code name-20}) are tried when the name is taken. */
    static final int NAME_VARIANTS = 20;
    /** Longest time a room's READY line waits for placeholder names ({@code client3}) to become real ones. */
    static final long READY_HOLD_MILLIS = 1000;

    private enum Phase { CONNECTING, NAMING, CONNECTED, DRAINING, WAITING_TO_RETRY, QUITTING }

    private final ClientOptions options;
    private final Console console;
    private final ExecRegistry registry;
    private final Backoff backoff;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    /** Lines typed or piped before the connection was up and named, sent once it is. */
    private final Deque<String> pending = new ArrayDeque<>();

    private Phase phase;
    private int attempt;
    private Channel channel;
    private ConnectionListener listener;
    private long deadline;
    private boolean hasDeadline;
    private int failures;
    private boolean inputEnded;
    private boolean quitTimedOut;
    /** The name to ask for on the next connection: the one given, then the latest the server confirmed. */
    private volatile String wantedName;

    ClientRunner(ClientOptions options, Console console, ExecRegistry registry, Backoff backoff) {
        this.options = options;
        this.console = console;
        this.registry = registry;
        this.backoff = backoff;
        this.wantedName = options.name();
    }

    /** Runs until the client leaves; returns the exit code. */
    int run() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            console.startInput(signals::add);
            connect(group);
            while (true) {
                Integer exit = handle(next(), group);
                if (exit != null) {
                    log.info(HermesMarkers.STATE, "Exiting with code {}", exit);
                    return exit;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (channel != null) {
                channel.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private Signal next() throws InterruptedException {
        if (!hasDeadline) {
            return signals.take();
        }
        Signal s = signals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (s == null) {
            hasDeadline = false;
            return new Signal.Timeout();
        }
        return s;
    }

    private void setDeadline(Duration d) {
        deadline = System.nanoTime() + d.toNanos();
        hasDeadline = true;
    }

    private boolean online() {
        return phase == Phase.NAMING || phase == Phase.CONNECTED || phase == Phase.DRAINING;
    }

    /** Handles one signal; returns the exit code when the run is over, else {@code null}. */
    private Integer handle(Signal s, EventLoopGroup group) {
        if (s instanceof Signal.Line l) {
            return line(l.text());
        } else if (s instanceof Signal.EndOfInput || s instanceof Signal.Interrupt) {
            inputEnded = true;
            if (console.interactive()) {
                // Ctrl-D or Ctrl-C on an empty line: the user leaves, whatever the connection is doing
                if (online()) {
                    quit();
                } else if (phase != Phase.QUITTING) {
                    return failures > 0 ? 1 : 0;
                }
            } else if (phase == Phase.CONNECTED) {
                finishInput();
            }
            // piped input: what is pending is still sent once connected and named, then the client logs out
        } else if (s instanceof Signal.Connected c) {
            if (c.attempt() != attempt) {
                c.channel().close();
                return null;
            }
            channel = c.channel();
            phase = Phase.NAMING;
            setDeadline(options.replyTimeout()); // a server that never answers /nick holds nothing forever
        } else if (s instanceof Signal.Named n) {
            if (n.attempt() == attempt && phase == Phase.NAMING) {
                named();
            }
        } else if (s instanceof Signal.ExecSettled e) {
            if (e.attempt() == attempt && phase == Phase.DRAINING && listener.sent.execsSettled()) {
                quit();
            }
        } else if (s instanceof Signal.ConnectFailed f) {
            if (f.attempt() != attempt) {
                return null;
            }
            failures++;
            log.info(HermesMarkers.STATE, "Cannot connect to {}: {}", options.target(), ConnectFailures.describe(f.cause()));
            return retryOrGiveUp("cannot connect to " + options.target() + ": " + ConnectFailures.describe(f.cause()));
        } else if (s instanceof Signal.Disconnected d) {
            if (d.attempt() != attempt) {
                return null;
            }
            return disconnected(d);
        } else if (s instanceof Signal.Timeout) {
            if (phase == Phase.WAITING_TO_RETRY) {
                connect(group);
            } else if (phase == Phase.NAMING) {
                named();
            } else if (phase == Phase.DRAINING) {
                console.warn("no answer to an EXEC within " + formatSeconds(options.replyTimeout()) + "; logging out");
                quit();
            } else if (phase == Phase.QUITTING && channel != null) {
                quitTimedOut = true;
                console.error("no BYE from " + options.target() + " within " + formatSeconds(options.quitTimeout())
                        + "; closing the connection");
                channel.close();
            }
        }
        return null;
    }

    private Integer line(String text) {
        boolean help = text.strip().equalsIgnoreCase("/help");
        if (console.interactive() && help) {
            console.help();
            if (phase != Phase.CONNECTED) {
                console.helpCommands();
                return null;
            }
            send("/help", false);
            return null;
        }
        if (text.isBlank()) {
            return null;
        }
        boolean logout = LineKind.of(text) == LineKind.LOGOUT;
        switch (phase) {
            case CONNECTED:
                send(text, true);
                if (logout) {
                    startQuitTimer();
                }
                return null;
            case QUITTING:
            case DRAINING:
                return null;
            case NAMING:
                if (logout && console.interactive()) {
                    send(text, true);
                    startQuitTimer();
                    return null;
                }
                pending.add(text); // sent in a moment, under the name the server is settling
                return null;
            default:
                if (logout && console.interactive()) {
                    return failures > 0 ? 1 : 0; // nothing to log out from
                }
                pending.add(text);
                console.notice("not connected yet; the line will be sent once connected");
                return null;
        }
    }

    /** Sends one line of the user's, shown as the server will read it (unless the server will refuse it). */
    private void send(String text, boolean show) {
        listener.sent.sent(text, false);
        if (show) {
            if (refusalExpected(text)) {
                listener.unshown.add(text); // shown once the server's answers say it was taken after all
            } else {
                console.showSent(text);
            }
        }
        channel.writeAndFlush(text, channel.voidPromise());
    }

    /**
     * Whether the server is known to refuse {@code text} (chat while the room is incomplete or it is not
     * this client's turn): then only the refusal is shown, with the line, instead of the line as if sent.
     */
    private boolean refusalExpected(String text) {
        ClientState s = ClientState.of(channel);
        if (s == null || LineKind.of(text) != LineKind.CHAT || s.roomId() == ClientState.UNKNOWN) {
            return false;
        }
        return !s.roomReady() || s.turn() == ClientState.Turn.READ;
    }

    private void connect(EventLoopGroup group) {
        phase = Phase.CONNECTING;
        int thisAttempt = ++attempt;
        if (thisAttempt == 1) {
            console.notice("connecting to " + options.target() + " as " + wantedName); // retries print their own line
        }
        log.info(HermesMarkers.STATE, "Connecting to {}", options.target());
        // Resolved here, on the main thread, so a slow DNS answer never blocks the event loop.
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            signals.add(new Signal.ConnectFailed(thisAttempt, new UnknownHostException(options.host())));
            return;
        }
        listener = new ConnectionListener(thisAttempt, wantedName);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(new HermesClientPipeline(listener, registry)));
        b.connect(address).addListener((ChannelFutureListener) f -> signals.add(f.isSuccess()
                ? new Signal.Connected(thisAttempt, f.channel())
                : new Signal.ConnectFailed(thisAttempt, f.cause())));
    }

    /** The client pipeline, behind an {@code SslHandler} for the host the user typed with {@code --tls}. */
    private ChannelInitializer<Channel> initializer(HermesClientPipeline pipeline) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (options.tls() != null) {
                    ch.pipeline().addLast("tls", options.tls().newHandler(ch.alloc(), options.host(), options.port()));
                }
                pipeline.configure(ch.pipeline());
            }
        };
    }

    /** The name is settled (or the server never answered): send what was held back. */
    private void named() {
        phase = Phase.CONNECTED;
        hasDeadline = false;
        while (!pending.isEmpty()) {
            String text = pending.poll();
            send(text, true);
            if (LineKind.of(text) == LineKind.LOGOUT) {
                pending.clear();
                startQuitTimer();
                return;
            }
        }
        if (inputEnded) {
            finishInput();
        }
    }

    /** Piped input ended: log out once every EXEC sent has its answer (bounded by the reply timeout). */
    private void finishInput() {
        if (console.interactive() || listener.sent.execsSettled()) {
            quit();
            return;
        }
        phase = Phase.DRAINING;
        setDeadline(options.replyTimeout());
    }

    /** Logs out: {@code /quit}, then wait (bounded) for {@code BYE} and the close. */
    private void quit() {
        console.notice("logging out");
        channel.writeAndFlush("/quit", channel.voidPromise());
        startQuitTimer();
    }

    private void startQuitTimer() {
        phase = Phase.QUITTING;
        setDeadline(options.quitTimeout());
    }

    private Integer disconnected(Signal.Disconnected d) {
        channel = null;
        console.attach(null);
        if (d.byeText() != null && d.welcomed()) {
            if (phase == Phase.QUITTING || !options.reconnect() || inputEnded && pending.isEmpty()) {
                return 0; // the console has shown the BYE line: the one line a server close prints
            }
            failures = 1;
            String line = "the server closed the connection (" + d.byeText() + ")";
            log.info(HermesMarkers.STATE, "{}", line);
            return retryOrGiveUp(line);
        }
        if (!d.welcomed()) {
            failures++;
            String line = "cannot join " + options.target() + ": "
                    + (d.lastError() != null ? d.lastError().text()
                    : d.cause() != null ? ConnectFailures.describe(d.cause()) : "the server closed the connection");
            log.info(HermesMarkers.STATE, "{}", line);
            if (phase == Phase.QUITTING) {
                console.error(line);
                return 1;
            }
            return retryOrGiveUp(line);
        }
        if (phase == Phase.QUITTING) {
            return quitTimedOut ? 1 : 0;
        }
        failures = 1;
        String line = "connection to " + options.target() + " lost" + (d.cause() != null ? ": " + ConnectFailures.describe(d.cause()) : "");
        log.info(HermesMarkers.STATE, "{}", line);
        return retryOrGiveUp(line);
    }

    private Integer retryOrGiveUp(String line) {
        if (options.reconnect() && failures <= options.reconnectAttempts() && !(inputEnded && console.interactive())) {
            Duration delay = backoff.delay(failures);
            String count = options.reconnectAttempts() == ClientOptions.UNLIMITED
                    ? "retry " + failures : "retry " + failures + " of " + options.reconnectAttempts();
            console.warn(line + "; retrying in " + formatSeconds(delay) + " (" + count + ")");
            phase = Phase.WAITING_TO_RETRY;
            setDeadline(delay);
            return null;
        }
        console.error(line);
        return 1;
    }

    private static String formatSeconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }


    /**
     * Relays one connection's events to the console and its end to the main thread; gets the name
     * (trying free variants when it is taken); matches refusals to the lines they refuse; holds a room's
     * READY line until its placeholder names are replaced. Runs on the event loop, which owns its
     * fields; {@link #sent} is shared with the main thread and thread-safe.
     */
    private final class ConnectionListener implements ClientListener {
        private static final Pattern PLACEHOLDER = Pattern.compile("client(\\d{1,18})");

        final SentLines sent = new SentLines();
        /**
         * Chat sent while this client's state said the server would refuse it (not its turn), not shown yet.
         * The server answers a connection's lines in order, so a refusal of such a line comes before the
         * {@code TURN WRITE} that followed it; a {@code TURN WRITE} that comes first means the server had
         * already passed the turn when it read the oldest of them, and took it (the user typed faster than
         * the turn reached the screen). Main thread adds, event loop takes.
         */
        final Deque<String> unshown = new ConcurrentLinkedDeque<>();
        private final int attempt;
        private final String requestedName;
        private Channel channel;
        private ServerEvent.Error lastError;
        /** The name asked for while the client's own /nick is unanswered; {@code null} once settled. */
        private String naming;
        private int variant = 1;
        private ServerEvent.RoomReady heldReady;

        ConnectionListener(int attempt, String requestedName) {
            this.attempt = attempt;
            this.requestedName = requestedName;
        }

        @Override
        public void onConnected(Channel ch) {
            channel = ch;
            console.attach(ClientState.of(ch));
            nick(requestedName);
        }

        private void nick(String name) {
            naming = name;
            String line = "/nick " + name;
            sent.sent(line, true);
            channel.writeAndFlush(line, channel.voidPromise());
        }

        @Override
        public void onLine(String line) {
            console.showRaw(line);
        }

        @Override
        public void onEvent(ServerEvent event) {
            if (event instanceof ServerEvent.Error e) {
                lastError = e;
            }
            SentLines.Sent refused = sent.answer(event);
            if (refused != null && refused.auto()) {
                nameRefused(refused, (ServerEvent.Error) event);
                return;
            }
            if (event instanceof ServerEvent.Name n) {
                wantedName = n.name();
                console.show(event);
                if (naming != null) {
                    if (!n.name().equals(requestedName)) {
                        console.warn(requestedName + " is taken; you are " + n.name());
                    }
                    named();
                }
                return;
            }
            if (refused != null) {
                ServerEvent.Error e = (ServerEvent.Error) event;
                if (refused.kind() == LineKind.CHAT) {
                    unshown.remove(refused.line());
                }
                if (refused.kind() == LineKind.HELP && e.code() == ErrorCode.UNKNOWN_COMMAND) {
                    console.helpCommands(); // a server without /help: the client's own list
                } else {
                    console.showRefused(refused.line(), e);
                }
            } else if (event instanceof ServerEvent.RoomReady r) {
                heldReady = r;
                channel.eventLoop().schedule(() -> showReady(true), READY_HOLD_MILLIS, TimeUnit.MILLISECONDS);
                showReady(false);
            } else {
                console.show(event);
                if (event instanceof ServerEvent.Rename || event instanceof ServerEvent.Join) {
                    showReady(false);
                }
                if (event instanceof ServerEvent.Turn t && t.write()) {
                    // taken: the server read it after passing the turn (after it, the turn is the other's
                    // again, so the lines typed after it still wait for their refusal or the next turn)
                    String taken = unshown.poll();
                    if (taken != null) {
                        console.showSent(taken);
                    }
                }
            }
            if (event instanceof ServerEvent.ExecResult || event instanceof ServerEvent.Error) {
                signals.add(new Signal.ExecSettled(attempt));
            }
        }

        /** The server refused the client's own /nick: try the next free variant, or give up and say so. */
        private void nameRefused(SentLines.Sent refused, ServerEvent.Error e) {
            if (e.code() == ErrorCode.NAME_TAKEN && variant < NAME_VARIANTS) {
                variant++;
                String suffix = "-" + variant;
                String next = requestedName.substring(0, Math.min(requestedName.length(), Names.MAX_LENGTH - suffix.length()))
                        + suffix;
                console.notice(refused.line().substring("/nick ".length()) + " is taken; trying " + next);
                nick(next);
                return;
            }
            ClientState s = ClientState.of(channel);
            console.warn("cannot use the name " + requestedName + " (" + e.code() + " " + e.text() + "); you are "
                    + (s != null && s.name() != null ? s.name() : "unnamed"));
            named();
        }

        private void named() {
            naming = null;
            signals.add(new Signal.Named(attempt));
            if (console.interactive()) {
                // who is here, for the screen and for Tab: the names of those who came before
                sent.sent("/who", false);
                channel.writeAndFlush("/who", channel.voidPromise());
            }
            showReady(false);
        }

        /**
         * Shows the held READY line with every placeholder {@code client<id>} replaced by the name the
         * server has given that client since; waits while one is unknown, unless {@code force}.
         */
        private void showReady(boolean force) {
            ServerEvent.RoomReady r = heldReady;
            if (r == null || naming != null && !force) {
                return;
            }
            ClientState s = ClientState.of(channel);
            List<String> names = new ArrayList<>();
            boolean placeholders = false;
            for (String name : r.names()) {
                String real = name;
                Matcher m = PLACEHOLDER.matcher(name);
                if (m.matches() && s != null) {
                    long id = Long.parseLong(m.group(1));
                    String known = id == s.id() ? s.name() : s.peerName(id);
                    real = known != null ? known : name;
                }
                placeholders |= PLACEHOLDER.matcher(real).matches();
                names.add(real);
            }
            if (placeholders && !force) {
                return;
            }
            heldReady = null;
            console.show(new ServerEvent.RoomReady(r.roomId(), names));
        }

        @Override
        public void onExecAnswered(ServerEvent.ExecRequest request, String result) {
            console.showExecAnswered(request, result);
        }

        @Override
        public void onBadLine(String reason) {
            console.notice("dropped a line from the server: " + reason);
        }

        @Override
        public void onDisconnected(Channel ch, Throwable cause) {
            ClientState s = ClientState.of(ch);
            signals.add(new Signal.Disconnected(attempt, s.byeText(), s.welcomed(), lastError, cause));
        }
    }
}
