package io.hermesnet.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JUnit 5 extension that runs a real {@code redis-server} (the Debian package; on the {@code PATH}) on
 * {@code 127.0.0.1} and a free port, in a temporary directory, for the cluster tests
 * (docs/cluster.md "Tests"). Started before each test (or once per class on a {@code static} field
 * with {@link #perClass()}), stopped after it, directory deleted.
 *
 * <pre>{@code
 * @RegisterExtension
 * final RedisServerExtension redis = new RedisServerExtension();
 *
 * @Test
 * void survivesARestart() {
 *     ... redis.uri() ...            // redis://127.0.0.1:<port>
 *     redis.restart();               // same port and directory
 *     redis.pause(Duration.ofSeconds(3)); // DEBUG SLEEP 3: Redis answers nobody for 3 s
 * }
 * }</pre>
 *
 * Redis runs with {@code --save ''} and, unless {@link #appendOnly()}, {@code --appendonly no}: a
 * {@link #restart()} then starts an empty Redis (data lost); with {@code appendOnly()} the data
 * survives a restart. {@code DEBUG} is enabled for {@link #pause}.
 *
 * <p>Threading: one test thread at a time.
 */
public final class RedisServerExtension implements BeforeEachCallback, AfterEachCallback, BeforeAllCallback,
        AfterAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final boolean appendOnly;
    private final boolean perClass;
    private Path dir;
    private int port;
    private Process process;

    /** A Redis per test, without persistence. */
    public RedisServerExtension() {
        this(false, false);
    }

    private RedisServerExtension(boolean appendOnly, boolean perClass) {
        this.appendOnly = appendOnly;
        this.perClass = perClass;
    }

    /** This extension, but with {@code --appendonly yes}: what was written survives {@link #restart()}. */
    public RedisServerExtension appendOnly() {
        return new RedisServerExtension(true, perClass);
    }

    /** This extension, but one Redis for all tests of the class (register it on a {@code static} field). */
    public RedisServerExtension perClass() {
        return new RedisServerExtension(appendOnly, true);
    }

    /** Whether {@code redis-server} is on the {@code PATH} (for an assumption; {@code .ci/run} installs it). */
    public static boolean available() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "redis-server")));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (perClass) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    /** The port Redis listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Stops Redis (SIGTERM: with {@link #appendOnly()} it writes its file first) and starts it again on
     * the same port and directory; returns once it answers {@code PING}.
     */
    public void restart() throws IOException, InterruptedException {
        stopProcess();
        launch();
    }

    /** Kills Redis with SIGKILL (nothing written), then starts it again on the same port and directory. */
    public void crash() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        launch();
    }

    /**
     * Makes Redis answer nobody for {@code duration} ({@code DEBUG SLEEP}): connections stay open, commands
     * wait. Returns at once; the future completes when Redis answers again.
     */
    public CompletableFuture<Void> pause(Duration duration) {
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Socket socket;
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            // the command is on its way before pause() returns: the caller's next step sees a paused Redis
            command(socket, new String[]{"DEBUG", "SLEEP", seconds}, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread waiter = new Thread(() -> {
            try (socket) {
                String reply = readLine(socket.getInputStream());
                if (!reply.startsWith("+")) {
                    throw new IOException("DEBUG SLEEP answered " + reply);
                }
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }, "redis-pause");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    /**
     * Sends one command to Redis and returns its reply's first line as Redis sent it ({@code +OK},
     * {@code :3}, {@code $5} ...): for checks a test makes on the keys.
     */
    public String call(String... args) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return command(s, args, true);
        }
    }

    /** The whole reply of a command whose answer is an integer ({@code :n}). */
    public long callInteger(String... args) throws IOException {
        String reply = call(args);
        if (!reply.startsWith(":")) {
            throw new IOException(String.join(" ", args) + " answered " + reply);
        }
        return Long.parseLong(reply.substring(1));
    }

    /** Starts Redis now (for an owner that is not a registered extension, e.g. {@link HermesServerExtension}). */
    void start() throws IOException, InterruptedException {
        if (!available()) {
            throw new ExtensionConfigurationException(
                    "redis-server is not on the PATH (apt-get install -y redis-server; .ci/run installs it)");
        }
        dir = Files.createTempDirectory("hermes-redis");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", appendOnly ? "yes" : "no",
                "--dir", dir.toString(), "--enable-debug-command", "yes", "--daemonize", "no"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            try {
                if ("+PONG".equals(call("PING"))) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(20); // polling a starting process: there is no event to await
        }
        throw new IOException("redis-server did not answer PING within " + START_TIMEOUT, last);
    }

    /** Stops Redis and deletes its directory; idempotent. */
    void stop() {
        try {
            stopProcess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
            dir = null;
        }
    }

    private void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String command(Socket s, String[] args, boolean read) throws IOException {
        StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read ? readLine(s.getInputStream()) : null;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0) {
            if (ch == '\r') {
                in.read(); // LF
                return line.toString();
            }
            line.append((char) ch);
        }
        throw new IOException("Redis closed the connection");
    }
}
