package io.hermesnet.testkit;

import io.hermesnet.protocol.ProtocolParser;
import io.hermesnet.protocol.ServerEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A blocking line client for socket-level tests of a HermesNet server (or any CRLF line protocol):
 * a plain {@link Socket}, a reader thread that decodes every server line and queues it, and
 * {@code await}-style methods that wait for a line with a timeout instead of sleeping.
 *
 * <h2>Lines</h2>
 * Server lines must end with CRLF and be valid UTF-8 (docs/protocol.md §2 Framing). A line that breaks either
 * rule is still delivered, but the next method that reads lines fails with an {@link AssertionError}
 * naming the offending line (turn the CRLF check off with {@link Builder#strictCrlf(boolean)}). Bytes
 * after the last LF when the connection ends are not a line: see {@link #unterminatedTail()}.
 *
 * <h2>Ticks</h2>
 * {@code ID <n>} lines (docs/protocol.md §3.2) arrive on their own schedule, so by default they go to a separate
 * queue: {@link #await}, {@link #next} and {@link #sync} never see them, {@link #awaitTick} reads them.
 * With {@link Builder#ticksInline(boolean) ticksInline(true)} they stay in the line stream instead.
 * {@link #transcript()} always has every line, ticks included, in arrival order.
 *
 * <h2>Asserting that something did not arrive</h2>
 * {@link #sync()} sends a command the server cannot know ({@code /testkit-sync-<n>}) and waits for its
 * {@code ERROR UNKNOWN_COMMAND} answer, which names the verb (docs/protocol.md §2); every line the server sent
 * before that answer has arrived by then. With a server on one event loop (the default of
 * {@link HermesServerExtension}) this also covers lines caused by other clients' earlier input,
 * e.g. "after A's chat line was answered, B has no {@code MSG}": {@code a.sync(); b.expectNoMore();}.
 * On several servers (a cluster, {@link Topology#CLUSTER3}) one client's answer says nothing about
 * lines another node has still to send; there {@link HermesServerExtension} gives each client a
 * {@link Builder#beforeSync barrier} that {@code sync} runs first (see {@link Topology}).
 *
 * <h2>Floods and many clients</h2>
 * {@link Builder#keepLines(Predicate)} drops (and may count) lines a test does not need, so a client
 * flooded with chat holds no memory for it; {@link #receivedBytes()} and {@link #awaitReceivedBytes}
 * count every byte read. {@link #flood} writes a bounded flood on a thread of its own. For hundreds of
 * clients, {@link Builder#readBy(LineClients)} reads them all on one selector thread instead of a
 * thread each.
 *
 * <h2>Threading</h2>
 * One test thread uses a client; the reader thread (or the {@link LineClients} thread) only fills the
 * queues and the counters. Failures are {@link AssertionError}s whose message lists the lines seen while
 * waiting. Every wait is bounded: by the given {@link Duration} or the client's
 * {@link Builder#timeout default timeout}.
 */
public final class LineClient implements AutoCloseable {
    /** The default bound of every wait: 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest server line kept, in bytes; longer lines are cut and reported as a protocol error. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final Pattern TICK = Pattern.compile("ID \\d+");
    private static final Item EOF = new Item(null, 0);

    private final Socket socket;
    private final OutputStream out; // null when read by a group: writes go to channel
    private final SocketChannel channel; // non-null only when read by a group
    private final LineClients group;
    private final Predicate<String> keep;
    private final String label;
    private final Duration timeout;
    private final boolean strictCrlf;
    private final boolean ticksInline;
    // a deque: awaitInputHandled() puts back what arrived before its answer (test thread only at the head)
    private final BlockingDeque<Item> lines = new LinkedBlockingDeque<>();
    private final BlockingQueue<Item> ticks = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>(); // guarded by itself
    private final Object pauseLock = new Object();
    private final Object receivedLock = new Object();
    private final Thread reader; // null when read by a group

    // reader state: touched only by the thread that reads the socket
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(128);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder() // decode() resets it for each line
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean overflow;
    private final Runnable beforeSync;

    private volatile AssertionError protocolError;
    private volatile IOException readFailure;
    private volatile boolean closing;
    private volatile boolean endedByServer;
    private volatile String unterminatedTail;
    private volatile String lastLine;
    private boolean paused; // guarded by pauseLock
    private long receivedBytes; // guarded by receivedLock
    private boolean ended; // guarded by receivedLock

    // test-thread state
    private volatile Selector writeSelector; // a group client's wait for a full socket buffer to drain
    private boolean linesEnded;
    private boolean ticksEnded;
    private int syncCount;
    private ServerEvent.Welcome welcome;

    /** One received line and when the reader thread decoded it ({@link System#nanoTime()}). */
    private record Item(String text, long nanos) {
    }

    /**
     * An {@code ID} line: its counter value and when it arrived.
     *
     * @param value         the unsigned 32-bit counter value
     * @param receivedNanos {@link System#nanoTime()} when the client decoded the line
     */
    public record Tick(long value, long receivedNanos) {
    }

    private LineClient(Builder b) throws IOException {
        this.timeout = b.timeout;
        this.strictCrlf = b.strictCrlf;
        this.ticksInline = b.ticksInline;
        this.paused = b.startPaused;
        this.beforeSync = b.beforeSync;
        this.keep = b.keep;
        this.group = b.group;
        if (group != null) {
            if (b.tls != null || b.startPaused) {
                throw new IllegalStateException("a client read by a LineClients group speaks plain text and cannot start paused");
            }
            this.channel = openChannel(b);
            this.socket = channel.socket();
            this.out = null;
            this.label = b.label != null ? b.label : "client " + localAddress();
            this.reader = null;
            try {
                group.register(channel, this);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return;
        }
        this.channel = null;
        Socket s = new Socket();
        try {
            if (b.receiveBufferSize > 0) {
                s.setReceiveBufferSize(b.receiveBufferSize); // before connect, so the window scale honours it
            }
            s.setTcpNoDelay(true);
            s.connect(b.address, (int) b.connectTimeout.toMillis());
            if (b.tls != null) {
                s = startTls(s, b);
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.socket = s;
        this.out = s.getOutputStream();
        this.label = b.label != null ? b.label : "client " + localAddress();
        this.reader = new Thread(this::readLoop, "LineClient-" + s.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects a channel for a group client (blocking connect, then non-blocking for the group's selector). */
    private static SocketChannel openChannel(Builder b) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            if (b.receiveBufferSize > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, b.receiveBufferSize);
            }
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(b.address, (int) b.connectTimeout.toMillis());
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Layers TLS over the connected {@code plain} socket and completes the handshake (bounded by the connect timeout). */
    private static Socket startTls(Socket plain, Builder b) throws IOException {
        SSLSocket tls = (SSLSocket) b.tls.getSocketFactory().createSocket(plain, b.tlsHost, b.address.getPort(), true);
        try {
            SSLParameters params = tls.getSSLParameters();
            if (b.verifyHost) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            tls.setSSLParameters(params);
            tls.setSoTimeout((int) b.connectTimeout.toMillis());
            tls.startHandshake();
            tls.setSoTimeout(0);
            return tls;
        } catch (IOException e) {
            tls.close();
            throw e;
        }
    }

    /** Connects to {@code address} with the default options. */
    public static LineClient connect(InetSocketAddress address) throws IOException {
        return builder(address).connect();
    }

    /** A builder for a client of the server at {@code address}. */
    public static Builder builder(InetSocketAddress address) {
        return new Builder(address);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code line} in UTF-8 followed by LF, and flushes.
     *
     * @throws UncheckedIOException if the socket fails (e.g. the server has closed the connection)
     */
    public void send(String line) {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code bytes} exactly as given (no terminator is added), and flushes: for CRLF, bad UTF-8,
     * telnet IAC sequences, over-long or partial lines.
     *
     * @throws UncheckedIOException if the socket fails
     */
    public void sendRaw(byte[] bytes) {
        try {
            write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": send failed", e);
        }
    }

    /**
     * Sends {@code chunk} over and over, as fast as the socket takes it, on a daemon thread of its own:
     * a bounded flood for backpressure and shutdown tests. The flood ends after {@code maxChunks}
     * chunks, after {@code within} (checked between chunks), when a write fails (e.g. the server cut the
     * connection) or when the client is closed (which also ends a write blocked by a server that
     * stopped reading). Do not {@link #send} on this client while its flood runs.
     *
     * @param chunk     the bytes of one write, sent as given (end it with LF to flood lines)
     * @param maxChunks the most chunks to send
     * @param within    the longest the flood runs
     * @return completes with the number of bytes written when the flood ends; never completes exceptionally
     */
    public CompletableFuture<Long> flood(byte[] chunk, long maxChunks, Duration within) {
        byte[] copy = chunk.clone();
        long deadline = deadline(within);
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            long sent = 0;
            try {
                for (long i = 0; i < maxChunks && System.nanoTime() - deadline < 0 && !closing; i++) {
                    write(copy);
                    sent += copy.length;
                }
            } catch (IOException | RuntimeException e) {
                // the connection failed or was closed: the flood ends with what was written
            } finally {
                done.complete(sent);
            }
        }, "LineClient-flood-" + socket.getLocalPort());
        writer.setDaemon(true);
        writer.start();
        return done;
    }

    private void write(byte[] bytes) throws IOException {
        if (channel == null) {
            out.write(bytes);
            out.flush();
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long deadline = deadline(timeout);
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                awaitWritable(deadline);
            }
        }
    }

    /** Waits until a group client's socket takes bytes again; the group's selector only reads. */
    private void awaitWritable(long deadline) throws IOException {
        if (writeSelector == null) {
            writeSelector = Selector.open();
            channel.register(writeSelector, SelectionKey.OP_WRITE);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            throw new IOException("the server took no bytes for " + timeout.toMillis() + " ms");
        }
        writeSelector.select(ms);
        writeSelector.selectedKeys().clear();
    }

    // ---------------------------------------------------------------- receiving

    /** {@link #await(Pattern, Duration)} with a regex and the default timeout. */
    public Matcher await(String regex) {
        return await(Pattern.compile(regex), timeout);
    }

    /** {@link #await(Pattern, Duration)} with a regex. */
    public Matcher await(String regex, Duration within) {
        return await(Pattern.compile(regex), within);
    }

    /** {@link #await(Pattern, Duration)} with the default timeout. */
    public Matcher await(Pattern pattern) {
        return await(pattern, timeout);
    }

    /**
     * Waits for the first line that matches {@code pattern} as a whole ({@link Matcher#matches()});
     * lines before it are consumed and dropped. Ticks are skipped unless {@linkplain Builder#ticksInline inline}.
     *
     * @return the matcher of the matching line: {@code group()} is the line, groups are the pattern's
     * @throws AssertionError if no line matches within {@code within}, the connection ends first, or a
     *                        server line broke the framing rules; the message lists the lines seen
     */
    public Matcher await(Pattern pattern, Duration within) {
        return awaitAfter(pattern, within, new ArrayList<>());
    }

    /**
     * {@link #await(Pattern, Duration)}, returning every line it consumed: the lines before the match,
     * then the matching line last. For tests that count or check what came before a known last line.
     *
     * @throws AssertionError as {@link #await(Pattern, Duration)}
     */
    public List<String> linesUntil(Pattern pattern, Duration within) {
        List<String> seen = new ArrayList<>();
        seen.add(awaitAfter(pattern, within, seen).group());
        return seen;
    }

    /** Waits for a line matching {@code pattern}, adding each line before it to {@code seen}. */
    private Matcher awaitAfter(Pattern pattern, Duration within, List<String> seen) {
        long deadline = deadline(within);
        for (;;) {
            Item item = take(deadline);
            if (item == null) {
                throw fail("no line matching /" + pattern + "/ within " + within.toMillis() + " ms", seen);
            }
            if (item == EOF) {
                throw fail("connection closed before a line matching /" + pattern + "/", seen);
            }
            Matcher m = pattern.matcher(item.text);
            if (m.matches()) {
                return m;
            }
            seen.add(item.text);
        }
    }

    /**
     * Waits for the first line equal to {@code line} (no pattern syntax), like {@link #await(Pattern, Duration)}
     * with the default timeout.
     *
     * @return {@code line}
     * @throws AssertionError as {@link #await(Pattern, Duration)}
     */
    public String awaitLine(String line) {
        return await(Pattern.compile(Pattern.quote(line)), timeout).group();
    }

    /**
     * {@link #await(String)}, then returns this client; closes it if the line does not come. For
     * try-with-resources that must connect clients one after the other, e.g.
     * {@code LineClient a = LineClient.connect(addr).awaitReady("WELCOME 1 .*")}.
     *
     * @throws AssertionError as {@link #await(Pattern, Duration)}, after closing this client
     */
    public LineClient awaitReady(String regex) {
        try {
            await(regex);
            return this;
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    /**
     * Reads the very next line (ticks skipped unless inline) and requires it to equal {@code line} (no
     * pattern syntax), with the default timeout.
     *
     * @throws AssertionError if the next line differs, none arrives in time, or the connection ends
     */
    public void expectLine(String line) {
        String got = next(timeout);
        if (!got.equals(line)) {
            throw fail("expected the next line to be \"" + line + "\"", List.of(got));
        }
    }

    /** {@link #next(Duration)} with the default timeout. */
    public String next() {
        return next(timeout);
    }

    /**
     * The very next line (ticks skipped unless inline).
     *
     * @throws AssertionError if none arrives within {@code within} or the connection ends first
     */
    public String next(Duration within) {
        Item item = take(deadline(within));
        if (item == null) {
            throw fail("no line within " + within.toMillis() + " ms", List.of());
        }
        if (item == EOF) {
            throw fail("connection closed while waiting for the next line", List.of());
        }
        return item.text;
    }

    /** {@link #expectNext(Pattern, Duration)} with a regex and the default timeout. */
    public Matcher expectNext(String regex) {
        return expectNext(Pattern.compile(regex), timeout);
    }

    /**
     * Reads the very next line (ticks skipped unless inline) and requires it to match {@code pattern}
     * as a whole: for assertions on order, e.g. that {@code WELCOME} is the first line.
     *
     * @throws AssertionError if the next line does not match, none arrives in time, or the connection ends
     */
    public Matcher expectNext(Pattern pattern, Duration within) {
        String line = next(within);
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            throw fail("expected the next line to match /" + pattern + "/", List.of(line));
        }
        return m;
    }

    /**
     * Reads the next line, which must be {@code WELCOME <id> <name> <rank> <text>} (docs/protocol.md §3.1: always a
     * client's first line), and remembers it for {@link #welcome()}.
     *
     * @return the parsed line
     * @throws AssertionError if the next line is not a well-formed {@code WELCOME}
     */
    public ServerEvent.Welcome awaitWelcome() {
        String line = next(timeout);
        if (ProtocolParser.parseEvent(line) instanceof ServerEvent.Welcome w) {
            welcome = w;
            return w;
        }
        throw fail("expected WELCOME as the first line", List.of(line));
    }

    /** The {@code WELCOME} read by {@link #awaitWelcome()}, or {@code null} before that. */
    public ServerEvent.Welcome welcome() {
        return welcome;
    }

    /** {@link #awaitTick(Duration)} with the default timeout. */
    public Tick awaitTick() {
        return awaitTick(timeout);
    }

    /**
     * Waits for the next {@code ID} line from the tick queue.
     *
     * @throws AssertionError if none arrives in time or the connection ends first
     * @throws IllegalStateException with {@linkplain Builder#ticksInline inline ticks}: use {@link #await}
     */
    public Tick awaitTick(Duration within) {
        requireTickQueue();
        Item item = takeTick(deadline(within));
        if (item == null) {
            throw fail("no ID tick within " + within.toMillis() + " ms", List.of());
        }
        if (item == EOF) {
            throw fail("connection closed while waiting for an ID tick", List.of());
        }
        return new Tick(Long.parseLong(item.text.substring(3)), item.nanos);
    }

    /**
     * The {@code ID} lines that have arrived and not been read yet, in order; consumed; never waits. A
     * tick read after this was sent after every line that had arrived before it, e.g. after a
     * {@link #sync()} answer: {@code c.sync(); c.drainTicks(); long v = c.awaitTick().value();} gives a
     * counter value taken after the server handled everything {@code c} sent before.
     *
     * @throws IllegalStateException with {@linkplain Builder#ticksInline inline ticks}
     */
    public List<Tick> drainTicks() {
        requireTickQueue();
        checkProtocol();
        List<Tick> out = new ArrayList<>();
        for (Item i; !ticksEnded && (i = ticks.poll()) != null; ) {
            if (i == EOF) {
                ticksEnded = true;
            } else {
                out.add(new Tick(Long.parseLong(i.text.substring(3)), i.nanos));
            }
        }
        return out;
    }

    /**
     * Waits the whole of {@code period} and fails if an {@code ID} line arrives meanwhile: the one wait
     * that cannot end early, for asserting that ticks are off (docs/protocol.md §3.2 {@code --tick-interval 0}).
     * Ticks that arrived before the call are discarded first.
     *
     * @throws AssertionError if a tick arrives within {@code period}
     */
    public void assertNoTickWithin(Duration period) {
        drainTicks();
        Item item = takeTick(deadline(period));
        if (item != null && item != EOF) {
            throw fail("expected no ID tick within " + period.toMillis() + " ms", List.of(item.text));
        }
    }

    /**
     * Waits until the server has handled every line this client sent before (as {@link #sync()} does),
     * but leaves the lines that arrived meanwhile unread, for the next {@code await} or {@code next}:
     * the first step of a cluster barrier, which must not eat lines a test still expects. Returns at
     * once when the connection has ended (the server handles nothing more from it) or reading is
     * {@linkplain #pauseReading() paused} (the answer could not be read). Runs no
     * {@link Builder#beforeSync barrier}.
     *
     * @throws AssertionError if the answer does not arrive in time
     */
    public void awaitInputHandled() {
        synchronized (pauseLock) {
            if (paused) {
                return;
            }
        }
        if (linesEnded || closing) {
            return;
        }
        String verb = "testkit-sync-" + ++syncCount;
        try {
            send("/" + verb);
        } catch (UncheckedIOException e) {
            return; // the connection is gone: nothing of it is still to be handled
        }
        Pattern answer = Pattern.compile("ERROR UNKNOWN_COMMAND .*\\b" + Pattern.quote(verb) + "\\b.*");
        long deadline = deadline(timeout);
        List<Item> before = new ArrayList<>();
        try {
            for (;;) {
                checkProtocol();
                Item item = poll(lines, deadline);
                if (item == null) {
                    throw fail("no answer to /" + verb + " within " + timeout.toMillis() + " ms",
                            before.stream().map(Item::text).toList());
                }
                if (item == EOF || answer.matcher(item.text).matches()) {
                    if (item == EOF) {
                        before.add(item);
                    }
                    return;
                }
                before.add(item);
            }
        } finally {
            for (int i = before.size() - 1; i >= 0; i--) {
                lines.addFirst(before.get(i));
            }
        }
    }

    /**
     * Makes sure every line the server sent before now has arrived: runs the {@link Builder#beforeSync
     * barrier} if there is one, sends {@code /testkit-sync-<n>} and waits for the
     * {@code ERROR UNKNOWN_COMMAND} line naming it.
     *
     * @return the lines (ticks excluded unless inline) that arrived before that answer, consumed
     * @throws AssertionError if the answer does not arrive in time or the connection ends
     */
    public List<String> sync() {
        if (beforeSync != null) {
            beforeSync.run();
        }
        String verb = "testkit-sync-" + ++syncCount;
        send("/" + verb);
        Pattern answer = Pattern.compile("ERROR UNKNOWN_COMMAND .*\\b" + Pattern.quote(verb) + "\\b.*");
        long deadline = deadline(timeout);
        List<String> before = new ArrayList<>();
        for (;;) {
            Item item = take(deadline);
            if (item == null || item == EOF) {
                throw fail(item == null ? "no answer to /" + verb + " within " + timeout.toMillis() + " ms"
                        : "connection closed before the answer to /" + verb, before);
            }
            if (answer.matcher(item.text).matches()) {
                return before;
            }
            before.add(item.text);
        }
    }

    /**
     * {@link #sync()}s and fails if any line (ticks excluded unless inline) arrived before the answer.
     *
     * @throws AssertionError listing the unexpected lines
     */
    public void expectNoMore() {
        List<String> extra = sync();
        if (!extra.isEmpty()) {
            throw fail("expected no more lines", extra);
        }
    }

    /** The lines (ticks excluded unless inline) that have arrived and not been read yet; consumed; never waits. */
    public List<String> drain() {
        checkProtocol();
        List<String> out = new ArrayList<>();
        for (Item i; !linesEnded && (i = lines.poll()) != null; ) {
            if (i == EOF) {
                linesEnded = true;
            } else {
                out.add(i.text);
            }
        }
        checkProtocol();
        return out;
    }

    /** {@link #awaitClosed(Duration)} with the default timeout. */
    public List<String> awaitClosed() {
        return awaitClosed(timeout);
    }

    /**
     * Waits until the server ends the connection (EOF, or a reset).
     *
     * @return the unread lines (ticks excluded unless inline) that arrived before the end
     * @throws AssertionError if the connection is still open after {@code within}
     */
    public List<String> awaitClosed(Duration within) {
        long deadline = deadline(within);
        List<String> before = new ArrayList<>();
        for (;;) {
            Item item = take(deadline);
            if (item == null) {
                throw fail("connection still open after " + within.toMillis() + " ms", before);
            }
            if (item == EOF) {
                return before;
            }
            before.add(item.text);
        }
    }

    /**
     * The bytes after the last LF when the connection ended, decoded leniently, or {@code null} if the
     * stream ended on a line boundary (or has not ended). A server that closes a connection by force
     * (e.g. a stuck client at shutdown, docs/protocol.md §3.9) may cut a line; such a tail is kept here, never
     * delivered as a line, and shown in failure messages.
     */
    public String unterminatedTail() {
        return unterminatedTail;
    }

    /** Whether the server has ended the connection, as seen by the reader thread so far. */
    public boolean isClosedByServer() {
        return endedByServer;
    }

    /**
     * A copy of every line received so far, ticks included, in arrival order (without CRLF),
     * whether or not it has been read.
     */
    public List<String> transcript() {
        synchronized (transcript) {
            return new ArrayList<>(transcript);
        }
    }

    /**
     * The last complete line read so far, kept by {@link Builder#keepLines} or not, ticks included, or
     * {@code null} before the first: e.g. a flooded client's last line before the server closed.
     */
    public String lastLine() {
        return lastLine;
    }

    /** How many bytes this client has read from the socket so far, kept lines or not. */
    public long receivedBytes() {
        synchronized (receivedLock) {
            return receivedBytes;
        }
    }

    /**
     * Waits until this client has read at least {@code bytes} bytes from the socket in all, or the
     * connection has ended.
     *
     * @return true if the bytes have arrived, false if the connection ended with fewer
     * @throws AssertionError if neither happens within {@code within}
     */
    public boolean awaitReceivedBytes(long bytes, Duration within) {
        long deadline = deadline(within);
        synchronized (receivedLock) {
            while (receivedBytes < bytes && !ended) {
                long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (ms <= 0) {
                    throw fail("received " + receivedBytes + " of " + bytes + " bytes within " + within.toMillis() + " ms",
                            List.of());
                }
                try {
                    receivedLock.wait(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for bytes", e);
                }
            }
            return receivedBytes >= bytes;
        }
    }

    // ---------------------------------------------------------------- flow control and closing

    /**
     * Stops reading from the socket after the read in progress (if any) completes, so that the
     * server's writes pile up in the kernel buffers: for slow-consumer tests. Combine with a small
     * {@link Builder#receiveBufferSize(int) receive buffer}.
     *
     * @throws IllegalStateException for a client {@linkplain Builder#readBy read by a group}
     */
    public void pauseReading() {
        requireOwnReader();
        synchronized (pauseLock) {
            paused = true;
        }
    }

    /** Resumes reading after {@link #pauseReading()} or {@link Builder#startPaused(boolean)}. */
    public void resumeReading() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /**
     * Half-closes the connection: the server reads EOF while this client can still read its answer.
     *
     * @throws UncheckedIOException if the socket fails
     */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": shutdownOutput failed", e);
        }
    }

    /** Closes the connection with a TCP reset (SO_LINGER 0) instead of an orderly FIN. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing to reset
        }
        close();
    }

    /** The TLS session of a {@link Builder#tls TLS} client (protocol, peer certificates), or {@code null} for plain text. */
    public SSLSession tlsSession() {
        return socket instanceof SSLSocket tls ? tls.getSession() : null;
    }

    /** The local port of this client's socket: the {@code <port>} the server sees. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** This client's address as the server prints it: {@code ip:port}. */
    public String localAddress() {
        return socket.getLocalAddress().getHostAddress() + ':' + socket.getLocalPort();
    }

    /** Closes the socket and stops the reader thread; idempotent, never throws. */
    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
            if (writeSelector != null) {
                writeSelector.close();
            }
        } catch (IOException ignored) {
            // closing is best effort
        }
        if (reader == null) {
            // a channel registered with a selector is really closed (FIN or RST sent) when the selector
            // next deregisters it
            group.wakeup();
            return;
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return label;
    }

    // ---------------------------------------------------------------- internals

    private void requireOwnReader() {
        if (reader == null) {
            throw new IllegalStateException(label + " is read by a LineClients group, which cannot pause one client");
        }
    }

    private void requireTickQueue() {
        if (ticksInline) {
            throw new IllegalStateException("ticks are inline in this client: await(\"ID \\\\d+\") instead");
        }
    }

    private static long deadline(Duration within) {
        return System.nanoTime() + within.toNanos();
    }

    private Item take(long deadline) {
        checkProtocol();
        if (linesEnded) {
            return EOF;
        }
        Item item = poll(lines, deadline);
        if (item == EOF) {
            linesEnded = true;
        }
        checkProtocol();
        return item;
    }

    private Item takeTick(long deadline) {
        checkProtocol();
        if (ticksEnded) {
            return EOF;
        }
        Item item = poll(ticks, deadline);
        if (item == EOF) {
            ticksEnded = true;
        }
        checkProtocol();
        return item;
    }

    private static Item poll(BlockingQueue<Item> queue, long deadline) {
        try {
            return queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a line", e);
        }
    }

    private void checkProtocol() {
        AssertionError e = protocolError;
        if (e != null) {
            throw e;
        }
    }

    private AssertionError fail(String what, List<String> seen) {
        StringBuilder sb = new StringBuilder(label).append(": ").append(what);
        sb.append("\n  lines seen while waiting: ").append(seen.isEmpty() ? "(none)" : "");
        for (String s : seen) {
            sb.append("\n    ").append(s);
        }
        List<String> all = transcript();
        int from = Math.max(0, all.size() - 20);
        sb.append("\n  last ").append(all.size() - from).append(" of ").append(all.size()).append(" lines received:");
        for (String s : all.subList(from, all.size())) {
            sb.append("\n    ").append(s);
        }
        String tail = unterminatedTail;
        if (tail != null) {
            sb.append("\n  unterminated bytes at the end: ").append(tail.length() > 200 ? tail.substring(0, 200) + "…" : tail);
        }
        if (endedByServer) {
            sb.append("\n  connection ended by the server").append(readFailure != null ? ": " + readFailure : " (EOF)");
        }
        return new AssertionError(sb.toString());
    }

    private void readLoop() {
        byte[] buf = new byte[64 * 1024]; // large reads: a flooded client drains its socket in few calls
        IOException failure = null;
        try {
            InputStream in = socket.getInputStream();
            for (;;) {
                awaitResume();
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                onBytes(buf, n);
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onEnd(failure);
        }
    }

    /** {@code n} bytes read from the socket; on the reading thread (own or the group's). */
    void onBytes(byte[] buf, int n) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                append(buf, from, i - from);
                deliver(partial.toByteArray());
                partial.reset();
                overflow = false;
                from = i + 1;
            }
        }
        append(buf, from, n - from);
        synchronized (receivedLock) {
            receivedBytes += n;
            receivedLock.notifyAll();
        }
    }

    /** Adds bytes of the line being read, up to {@link #MAX_LINE_BYTES}; more is reported, once, and cut. */
    private void append(byte[] buf, int from, int len) {
        int room = MAX_LINE_BYTES - partial.size();
        partial.write(buf, from, Math.min(len, room));
        if (len > room && !overflow) {
            overflow = true;
            protocolError("a server line is longer than " + MAX_LINE_BYTES + " bytes", partial.toByteArray());
        }
    }

    /** The stream ended: EOF ({@code failure} null), a reset or a close by the test; on the reading thread. */
    void onEnd(IOException failure) {
        if (partial.size() > 0) {
            unterminatedTail = new String(partial.toByteArray(), StandardCharsets.UTF_8);
        }
        if (failure != null && !closing) {
            readFailure = failure;
        }
        endedByServer = !closing;
        synchronized (receivedLock) {
            ended = true;
            receivedLock.notifyAll();
        }
        lines.add(EOF);
        ticks.add(EOF);
    }

    private void awaitResume() throws InterruptedException {
        synchronized (pauseLock) {
            while (paused && !closing) { // close() wakes it
                pauseLock.wait();
            }
        }
    }

    private void deliver(byte[] raw) {
        int len = raw.length;
        if (len > 0 && raw[len - 1] == '\r') {
            len--;
        } else if (strictCrlf) {
            protocolError("a server line ends with LF but not CRLF", raw);
        }
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(raw, 0, len)).toString();
        } catch (CharacterCodingException e) {
            protocolError("a server line is not valid UTF-8", raw);
            text = new String(raw, 0, len, StandardCharsets.UTF_8);
        }
        lastLine = text;
        if (keep != null && !keep.test(text)) {
            return;
        }
        synchronized (transcript) {
            transcript.add(text);
        }
        Item item = new Item(text, System.nanoTime());
        if (!ticksInline && text.startsWith("ID ") && TICK.matcher(text).matches()) {
            ticks.add(item);
        } else {
            lines.add(item);
        }
    }

    private void protocolError(String what, byte[] raw) {
        if (protocolError == null) {
            protocolError = new AssertionError(label + ": " + what + ": "
                    + new String(raw, StandardCharsets.UTF_8).replace("\r", "\\r") + " (bytes: " + hex(raw) + ")");
        }
    }

    private static String hex(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(raw.length, 64); i++) {
            sb.append(String.format("%02x", raw[i] & 0xff));
        }
        return raw.length > 64 ? sb.append("…").toString() : sb.toString();
    }

    /** Options of a {@link LineClient}; {@link #connect()} opens it. Not thread-safe. */
    public static final class Builder {
        private final InetSocketAddress address;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_TIMEOUT;
        private int receiveBufferSize;
        private boolean strictCrlf = true;
        private boolean ticksInline;
        private boolean startPaused;
        private Predicate<String> keep;
        private LineClients group;
        private String label;
        private SSLContext tls;
        private String tlsHost;
        private boolean verifyHost;
        private Runnable beforeSync;

        private Builder(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
        }

        /**
         * Speaks TLS: the handshake runs in {@link #connect()} (whose {@code IOException}, e.g. an
         * {@code SSLHandshakeException}, reports a refused certificate), trusting what {@code context}
         * trusts and checking that the certificate names the address's host (as HTTPS does).
         */
        public Builder tls(SSLContext context) {
            return tls(context, address.getHostString(), true);
        }

        /**
         * Speaks TLS, expecting the server certificate to name {@code host} (sent as SNI too) when
         * {@code verifyHost}; with {@code verifyHost} false only the chain is checked.
         */
        public Builder tls(SSLContext context, String host, boolean verifyHost) {
            this.tls = Objects.requireNonNull(context, "context");
            this.tlsHost = Objects.requireNonNull(host, "host");
            this.verifyHost = verifyHost;
            return this;
        }

        /** The bound of every wait that takes no {@link Duration}; default {@link #DEFAULT_TIMEOUT}. */
        public Builder timeout(Duration v) {
            timeout = Objects.requireNonNull(v, "timeout");
            return this;
        }

        /** The bound of the TCP connect; default {@link #DEFAULT_TIMEOUT}. */
        public Builder connectTimeout(Duration v) {
            connectTimeout = Objects.requireNonNull(v, "connectTimeout");
            return this;
        }

        /**
         * {@code SO_RCVBUF} in bytes, set before connecting; 0 (default) keeps the system's. The kernel
         * may round it (Linux doubles it and applies a minimum).
         */
        public Builder receiveBufferSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("receiveBufferSize must not be negative");
            }
            receiveBufferSize = bytes;
            return this;
        }

        /** Whether a server line without CR before its LF fails the test (default true: docs/protocol.md §2). */
        public Builder strictCrlf(boolean v) {
            strictCrlf = v;
            return this;
        }

        /** Whether {@code ID} lines stay in the line stream (default false: they go to {@link #awaitTick}). */
        public Builder ticksInline(boolean v) {
            ticksInline = v;
            return this;
        }

        /** Whether the client starts without reading until {@link #resumeReading()} (default false). */
        public Builder startPaused(boolean v) {
            startPaused = v;
            return this;
        }

        /**
         * Which lines to keep (default: all). {@code keep} sees every line (without CRLF) in arrival order,
         * on the reading thread, and may count what it sees; a line it rejects is dropped: neither queued
         * nor in the {@link #transcript()}, so a client flooded with chat holds no memory for it. Framing
         * and UTF-8 are checked for every line, kept or not.
         */
        public Builder keepLines(Predicate<String> keep) {
            this.keep = Objects.requireNonNull(keep, "keep");
            return this;
        }

        /**
         * Reads this client on {@code group}'s one selector thread instead of a thread of its own, for
         * tests with hundreds of clients. Such a client speaks plain text only and cannot
         * {@linkplain #pauseReading() pause}; {@link #connect()} throws {@link IllegalStateException}
         * when combined with {@link #tls} or {@link #startPaused}.
         */
        public Builder readBy(LineClients group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * What {@link #sync()} (and so {@link #expectNoMore()}) runs before its own round trip, on the
         * test thread: a barrier after which every line caused so far is on its way to this client
         * (default none: one server on one event loop needs none). {@link HermesServerExtension} sets
         * it for {@link Topology#CLUSTER3}.
         */
        public Builder beforeSync(Runnable barrier) {
            beforeSync = barrier;
            return this;
        }

        /** The name used in failure messages; default {@code client <ip:port>}. */
        public Builder label(String v) {
            label = v;
            return this;
        }

        /**
         * Connects and starts the reader thread.
         *
         * @throws IOException if the connection cannot be made
         */
        public LineClient connect() throws IOException {
            return new LineClient(this);
        }

        /**
         * Connects and reads the {@code WELCOME} (docs/protocol.md §3.1), available as {@link #welcome()};
         * closes the client if the first line is anything else.
         *
         * @throws IOException    if the connection cannot be made
         * @throws AssertionError if the first line is not a well-formed {@code WELCOME}
         */
        public LineClient join() throws IOException {
            LineClient c = connect();
            try {
                c.awaitWelcome();
                return c;
            } catch (AssertionError e) {
                c.close();
                throw e;
            }
        }
    }
}
