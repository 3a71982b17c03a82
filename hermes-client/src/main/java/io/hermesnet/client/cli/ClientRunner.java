package io.hermesnet.client.cli;

import io.hermesnet.client.ClientListener;
import io.hermesnet.client.ClientState;
import io.hermesnet.client.ExecRegistry;
import io.hermesnet.client.HermesClientPipeline;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.server.HermesMarkers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One run of the client: connect, send {@code /nick}, relay input and events until the user leaves or
 * the server says {@code BYE}, retrying with {@link Backoff} when asked to (SPEC §4).
 *
 * <p>Exit codes: 0 after {@code BYE} (the user logged out, or the server closed the connection with
 * {@code BYE}); 1 when the connection could not be made or was lost (no {@code BYE}) and no retry is
 * left, or when the server did not answer a logout with {@code BYE} in time.
 *
 * <p>Threading: {@link #run} runs on the calling (main) thread, which owns every field; the event loop
 * and the console's input thread only put {@link Signal}s on the queue. Nothing here blocks the event
 * loop.
 */
final class ClientRunner {
    private static final Logger log = LogManager.getLogger(ClientRunner.class);

    private enum Phase { CONNECTING, CONNECTED, WAITING_TO_RETRY, QUITTING }

    private final ClientOptions options;
    private final Console console;
    private final ExecRegistry registry;
    private final Backoff backoff;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    /** Lines typed or piped before the connection was up, sent once it is. */
    private final Deque<String> pending = new ArrayDeque<>();

    private Phase phase;
    private int attempt;
    private Channel channel;
    private long deadline;
    private boolean hasDeadline;
    private int failures;
    private boolean inputEnded;
    private boolean quitTimedOut;

    ClientRunner(ClientOptions options, Console console, ExecRegistry registry, Backoff backoff) {
        this.options = options;
        this.console = console;
        this.registry = registry;
        this.backoff = backoff;
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

    /** Handles one signal; returns the exit code when the run is over, else {@code null}. */
    private Integer handle(Signal s, EventLoopGroup group) {
        if (s instanceof Signal.Line l) {
            return line(l.text());
        } else if (s instanceof Signal.EndOfInput) {
            inputEnded = true;
            if (phase == Phase.CONNECTED) {
                quit();
            } else if (phase != Phase.QUITTING && console.interactive()) {
                return failures > 0 ? 1 : 0; // Ctrl-D while not connected: nothing to log out from
            }
            // piped input: what is pending is still sent once connected, then the client logs out
        } else if (s instanceof Signal.Interrupt) {
            if (phase == Phase.CONNECTED) {
                quit();
            } else if (phase != Phase.QUITTING) {
                return failures > 0 ? 1 : 0;
            }
        } else if (s instanceof Signal.Connected c) {
            if (c.attempt() != attempt) {
                c.channel().close();
                return null;
            }
            connected(c.channel());
        } else if (s instanceof Signal.ConnectFailed f) {
            if (f.attempt() != attempt) {
                return null;
            }
            failures++;
            log.info(HermesMarkers.STATE, "Cannot connect to {}: {}", options.target(), describe(f.cause()));
            return retryOrGiveUp("cannot connect to " + options.target() + ": " + describe(f.cause()));
        } else if (s instanceof Signal.Disconnected d) {
            if (d.attempt() != attempt) {
                return null;
            }
            return disconnected(d);
        } else if (s instanceof Signal.Timeout) {
            if (phase == Phase.WAITING_TO_RETRY) {
                connect(group);
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
        if (console.interactive() && text.strip().equalsIgnoreCase("/help")) {
            console.help();
            return null;
        }
        if (text.isBlank()) {
            return null;
        }
        boolean logout = ProtocolParser.parseCommand(text) instanceof ClientCommand.Logout;
        switch (phase) {
            case CONNECTED:
                console.showSent(text);
                channel.writeAndFlush(text, channel.voidPromise());
                if (logout) {
                    startQuitTimer();
                }
                return null;
            case QUITTING:
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

    private void connect(EventLoopGroup group) {
        phase = Phase.CONNECTING;
        int thisAttempt = ++attempt;
        console.notice("connecting to " + options.target() + " as " + options.name());
        log.info(HermesMarkers.STATE, "Connecting to {}", options.target());
        // Resolved here, on the main thread, so a slow DNS answer never blocks the event loop.
        InetSocketAddress address = new InetSocketAddress(options.host(), options.port());
        if (address.isUnresolved()) {
            signals.add(new Signal.ConnectFailed(thisAttempt, new UnknownHostException(options.host())));
            return;
        }
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(new HermesClientPipeline(new ConnectionListener(thisAttempt), registry)));
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

    private void connected(Channel ch) {
        channel = ch;
        phase = Phase.CONNECTED;
        hasDeadline = false;
        ch.write("/nick " + options.name(), ch.voidPromise());
        while (!pending.isEmpty()) {
            String text = pending.poll();
            console.showSent(text);
            ch.write(text, ch.voidPromise());
            if (ProtocolParser.parseCommand(text) instanceof ClientCommand.Logout) {
                pending.clear();
                ch.flush();
                startQuitTimer();
                return;
            }
        }
        ch.flush();
        if (inputEnded) {
            quit();
        }
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
        if (d.byeText() != null) {
            return 0; // the console has shown the BYE line: the one line a server close prints
        }
        if (!d.welcomed()) {
            failures++;
            String line = "cannot join " + options.target() + ": "
                    + (d.lastError() != null ? d.lastError().text()
                    : d.cause() != null ? describe(d.cause()) : "the server closed the connection");
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
        String line = "connection to " + options.target() + " lost" + (d.cause() != null ? ": " + describe(d.cause()) : "");
        log.info(HermesMarkers.STATE, "{}", line);
        return retryOrGiveUp(line);
    }

    private Integer retryOrGiveUp(String line) {
        if (options.reconnect() && failures <= options.reconnectAttempts() && !(inputEnded && console.interactive())) {
            Duration delay = backoff.delay(failures);
            console.warn(line + "; retrying in " + formatSeconds(delay) + " (retry " + failures + " of "
                    + options.reconnectAttempts() + ")");
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

    /** A short lower-case reason for a connection failure: {@code connection refused}, {@code unknown host}, … */
    static String describe(Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException tls) {
            return "TLS: " + tls.getMessage(); // e.g. the server's certificate is not trusted or names another host
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof ConnectTimeoutException) {
            return "timed out";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (cause instanceof ConnectException && m.contains("refused")) {
            return "connection refused";
        }
        if (m.contains("connection reset")) {
            return "connection reset";
        }
        int colon = m.indexOf(": /");
        return colon > 0 ? m.substring(0, colon) : m; // Netty appends ": /ip:port", which the line already names
    }

    /** Relays one connection's events to the console and its end to the main thread. Runs on the event loop. */
    private final class ConnectionListener implements ClientListener {
        private final int attempt;
        private ServerEvent.Error lastError;

        ConnectionListener(int attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onConnected(Channel ch) {
            console.attach(ClientState.of(ch));
        }

        @Override
        public void onEvent(ServerEvent event) {
            if (event instanceof ServerEvent.Error e) {
                lastError = e;
            }
            console.show(event);
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
