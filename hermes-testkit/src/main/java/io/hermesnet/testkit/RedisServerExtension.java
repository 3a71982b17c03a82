package io.hermesnet.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.net.ssl.SSLSocketFactory;

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
 * <p>{@link #tls()} makes Redis speak TLS only ({@code --port 0 --tls-port P}, a server certificate for
 * 127.0.0.1 from a {@link TestCertificates} CA of its own, no client certificates asked):
 * {@link #uri()} is then {@code rediss://127.0.0.1:<port>} and {@link #certificates()} the CA a client
 * must trust. {@link #sentinel()} also runs a Redis Sentinel ({@code redis-server sentinel.conf
 * --sentinel}, on another free port) monitoring this Redis as master {@value #SENTINEL_MASTER}:
 * {@link #sentinelUri()} is {@code redis-sentinel://127.0.0.1:<sentinel port>#mymaster}. The two do not
 * combine.
 *
 * <p>Threading: one test thread at a time.
 */
public final class RedisServerExtension implements BeforeEachCallback, AfterEachCallback, BeforeAllCallback,
        AfterAllCallback {
    /** The name under which {@link #sentinel()}'s Sentinel monitors this Redis. */
    public static final String SENTINEL_MASTER = "mymaster";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final boolean appendOnly;
    private final boolean perClass;
    private final boolean tls;
    private final boolean sentinel;
    private Path dir;
    private int port;
    private Process process;
    private TestCertificates certificates; // with tls(): made at start, in dir
    private SSLSocketFactory tlsSockets; // with tls(): for this extension's own commands
    private int sentinelPort;
    private Process sentinelProcess;

    /** A Redis per test, without persistence. */
    public RedisServerExtension() {
        this(false, false, false, false);
    }

    private RedisServerExtension(boolean appendOnly, boolean perClass, boolean tls, boolean sentinel) {
        if (tls && sentinel) {
            throw new ExtensionConfigurationException("tls() and sentinel() do not combine");
        }
        this.appendOnly = appendOnly;
        this.perClass = perClass;
        this.tls = tls;
        this.sentinel = sentinel;
    }

    /** This extension, but with {@code --appendonly yes}: what was written survives {@link #restart()}. */
    public RedisServerExtension appendOnly() {
        return new RedisServerExtension(true, perClass, tls, sentinel);
    }

    /** This extension, but one Redis for all tests of the class (register it on a {@code static} field). */
    public RedisServerExtension perClass() {
        return new RedisServerExtension(appendOnly, true, tls, sentinel);
    }

    /**
     * This extension, but Redis speaks TLS only, with a certificate for 127.0.0.1 signed by
     * {@link #certificates()}'s CA; {@link #uri()} is {@code rediss://}. Needs
     * {@code org.bouncycastle:bcpkix-jdk18on} on the test class path ({@link TestCertificates}).
     */
    public RedisServerExtension tls() {
        return new RedisServerExtension(appendOnly, perClass, true, sentinel);
    }

    /**
     * This extension, but with a Redis Sentinel on another free port monitoring this Redis as
     * {@value #SENTINEL_MASTER} (quorum 1); see {@link #sentinelUri()}.
     */
    public RedisServerExtension sentinel() {
        return new RedisServerExtension(appendOnly, perClass, tls, true);
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

    /** The port Redis listens on (127.0.0.1); with {@link #tls()} its TLS port, the only one. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, or with {@link #tls()} {@code rediss://127.0.0.1:<port>}. */
    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /**
     * With {@link #tls()}: the CA that signed Redis's certificate ({@link TestCertificates#caFile()},
     * {@link TestCertificates#ca()}); valid while Redis runs.
     *
     * @throws IllegalStateException without {@code tls()} or before the start
     */
    public TestCertificates certificates() {
        if (certificates == null) {
            throw new IllegalStateException("no certificates: register the extension with tls()");
        }
        return certificates;
    }

    /**
     * With {@link #sentinel()}: {@code redis-sentinel://127.0.0.1:<sentinel port>#mymaster}, Lettuce's URI
     * of a master found through that Sentinel.
     *
     * @throws IllegalStateException without {@code sentinel()} or before the start
     */
    public String sentinelUri() {
        if (sentinelProcess == null) {
            throw new IllegalStateException("no sentinel: register the extension with sentinel()");
        }
        return "redis-sentinel://127.0.0.1:" + sentinelPort + "#" + SENTINEL_MASTER;
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
            socket = socket(port);
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
        return call(port, args);
    }

    private String call(int toPort, String... args) throws IOException {
        try (Socket s = socket(toPort)) {
            return command(s, args, true);
        }
    }

    /** A connection to Redis ({@code toPort} = {@link #port}, TLS with {@link #tls()}) or to the Sentinel. */
    private Socket socket(int toPort) throws IOException {
        if (tls && toPort == port) {
            return tlsSockets.createSocket(InetAddress.getLoopbackAddress(), toPort);
        }
        return new Socket(InetAddress.getLoopbackAddress(), toPort);
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
        port = freePort();
        if (tls) {
            certificates = TestCertificates.create(dir.resolve("tls"));
            tlsSockets = certificates.clientContext().getSocketFactory();
        }
        launch();
        if (sentinel) {
            launchSentinel();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
                "--appendonly", appendOnly ? "yes" : "no",
                "--dir", dir.toString(), "--enable-debug-command", "yes", "--daemonize", "no"));
        if (tls) {
            TestCertificates.Issued server = certificates.issue("redis");
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", server.certFile().toString(), "--tls-key-file", server.keyFile().toString(),
                    "--tls-ca-cert-file", certificates.caFile().toString(), "--tls-auth-clients", "no"));
        } else {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        }
        process = start(cmd, "redis.log");
        awaitReply(process, "redis.log", port, "+PONG", "PING");
    }

    /**
     * Sentinel: its config file is its own (it rewrites it), and port 0 is not allowed there, so it gets
     * a free port of its own.
     */
    private void launchSentinel() throws IOException, InterruptedException {
        sentinelPort = freePort();
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "daemonize no",
                "dir " + dir,
                "sentinel monitor " + SENTINEL_MASTER + " 127.0.0.1 " + port + " 1",
                ""), StandardCharsets.UTF_8);
        sentinelProcess = start(List.of("redis-server", conf.toString(), "--sentinel"), "sentinel.log");
        // an array of two (address, port) once it monitors the master; nil before
        awaitReply(sentinelProcess, "sentinel.log", sentinelPort, "*2",
                "SENTINEL", "GET-MASTER-ADDR-BY-NAME", SENTINEL_MASTER);
    }

    private Process start(List<String> cmd, String logName) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile())).start();
    }

    private void awaitReply(Process p, String logName, int toPort, String reply, String... args)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        String got = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("redis-server exited " + p.exitValue() + ": " + Files.readString(dir.resolve(logName)));
            }
            try {
                got = call(toPort, args);
                if (reply.equals(got)) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(20); // polling a starting process: there is no event to await
        }
        throw new IOException("redis-server on port " + toPort + " did not answer " + String.join(" ", args) + " with "
                + reply + " within " + START_TIMEOUT + " (last answer " + got + ")", last);
    }

    /** Stops Redis and deletes its directory; idempotent. */
    void stop() {
        try {
            if (sentinelProcess != null) {
                stop(sentinelProcess);
                sentinelProcess = null;
            }
            stopProcess();
            certificates = null;
            tlsSockets = null;
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
        if (process != null) {
            stop(process);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
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
