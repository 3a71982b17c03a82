package io.hermesnet.client.cli;

import io.hermesnet.client.ExecRegistry;
import io.hermesnet.config.HermesVersionProvider;
import io.hermesnet.internal.logging.LogFormat;
import io.hermesnet.protocol.Names;
import io.netty.handler.ssl.SslContext;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import javax.net.ssl.SSLException;

/**
 * {@code hermes-client HOST PORT [USERNAME]} (docs/protocol.md §4): connects to a HermesNet server, sends
 * {@code /nick USERNAME}, and relays between the server and the user: an interactive JLine console in a
 * terminal, plain lines when stdin is not a terminal. Answers EXEC from the safe built-ins of
 * {@link ExecRegistry#withBuiltins}.
 *
 * <p>Exit codes: 0 after {@code BYE} (and for {@code -h}/{@code -V}); 1 when the server cannot be
 * reached or the connection is lost; 2 for bad arguments. See {@link ClientRunner}.
 */
@Command(name = "hermes-client", mixinStandardHelpOptions = true, versionProvider = HermesVersionProvider.class,
        abbreviateSynopsis = true, // "[OPTIONS] HOST PORT [USERNAME]" stays on one line however many flags there are
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Chat on a HermesNet server.",
                "In a terminal: an interactive console (type /help; Tab completes, Ctrl-C clears the line, Ctrl-D leaves). "
                        + "With piped stdin: each input line is sent, every received line is printed (worded, or "
                        + "as received with --raw), and at the end of the input the client waits for the answers "
                        + "to what it sent, then logs out.",
                "Without USERNAME the OS user name is used; if it is taken, a free variant (name-2, ...) is chosen."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:after BYE (logged out, or the server closed with BYE); -h, -V",
                "1:cannot connect, connection lost (and no retry left), or no BYE after logging out",
                "2:bad arguments"})
public final class HermesClientMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "the server's host name or IP address")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "the server's TCP port (1-65535)")
    int port;

    @Parameters(index = "2", arity = "0..1", paramLabel = "USERNAME",
            description = "your name: 1-32 of A-Z a-z 0-9 _ - (default: the OS user name, made valid)")
    String username;

    @Option(names = "--reconnect",
            description = "after any close you did not ask for (server restart or shutdown, refusal, lost connection), "
                    + "connect again with capped exponential backoff and jitter, one line per attempt, and ask for "
                    + "your name again; only your own /quit, Ctrl-D or Ctrl-C ends it")
    boolean reconnect;

    @Option(names = "--reconnect-attempts", paramLabel = "N",
            description = "with --reconnect: give up after N retries in a row (default: no limit)")
    Integer reconnectAttempts;

    @Option(names = "--raw",
            description = "with piped stdin: print every server line exactly as received, instead of worded like the console")
    boolean raw;

    @Option(names = "--tls", description = "speak TLS; the server's certificate and host name are checked")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "with --tls: trust the PEM certificates in FILE instead of the JDK trust store")
    Path ca;

    @Option(names = "--insecure", description = "with --tls: do not check the server's certificate or host name")
    boolean insecure;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "append the client's log (STATE, RX, TX, EXEC lines) to FILE; without it the client logs nothing")
    Path logFile;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", converter = LogFormatConverter.class,
            description = "with --log-file: text lines, or json, one JSON object per line (default: ${DEFAULT-VALUE})")
    LogFormat logFormat;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;
    private final boolean interactive;
    /** Held so the level set on it stays: java.util.logging keeps loggers only weakly. */
    private java.util.logging.Logger jlineLog;

    /** The command for {@link #main}: the process's stdin, interactive when it and stdout are a terminal. */
    public HermesClientMain() {
        this(System.in, System.console() != null);
    }

    /**
     * The command with its input given: for tests and embedding.
     *
     * @param stdin       the input lines, read when not {@code interactive}
     * @param interactive whether to open the terminal for the JLine console instead of reading {@code stdin}
     */
    public HermesClientMain(InputStream stdin, boolean interactive) {
        this.stdin = stdin;
        this.interactive = interactive;
    }

    /**
     * The picocli command for {@code app}, as {@link #main} runs it: bad arguments print one line naming
     * the problem and a pointer to {@code --help} on stderr, and exit 2.
     */
    public static CommandLine commandLine(HermesClientMain app) {
        CommandLine cmd = new CommandLine(app);
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("hermes-client: " + ex.getMessage());
            err.println("Try 'hermes-client --help' for more information.");
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cmd;
    }

    /** Runs the client and exits the JVM with its exit code. */
    public static void main(String[] args) {
        CommandLine cmd = commandLine(new HermesClientMain());
        cmd.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        int code = cmd.execute(args);
        LogManager.shutdown();
        System.exit(code);
    }

    @Override
    public Integer call() {
        validate();
        String name = username != null ? username : UserNames.fromOs(System.getProperty("user.name"));
        SslContext tlsContext = null;
        if (tls) {
            try {
                tlsContext = ClientTls.context(ca, insecure);
            } catch (SSLException e) {
                throw new ParameterException(spec.commandLine(), "cannot use --ca " + ca + ": " + e.getMessage());
            }
            if (insecure) {
                spec.commandLine().getErr().println("warning: --insecure: the server's certificate and host name are not checked");
            }
        }
        ClientOptions options = new ClientOptions(host, port, name, reconnect,
                reconnectAttempts != null ? reconnectAttempts : ClientOptions.UNLIMITED,
                ClientOptions.DEFAULT_CONNECT_TIMEOUT, ClientOptions.DEFAULT_QUIT_TIMEOUT, ClientOptions.DEFAULT_REPLY_TIMEOUT,
                tlsContext);
        ClientLogging logging = null;
        if (logFile != null) {
            try {
                logging = ClientLogging.toFile(logFile, logFormat);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot open log file " + logFile + ": " + e);
            }
        }
        try {
            ExecRegistry registry = ExecRegistry.withBuiltins(Clock.systemDefaultZone());
            try (Console console = openConsole(name, registry)) {
                return new ClientRunner(options, console, registry, new Backoff(new Random())).run();
            }
        } finally {
            if (logging != null) {
                logging.close();
            }
        }
    }

    private void validate() {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "PORT must be 1-65535: " + port);
        }
        if (username != null && (!Names.isWellFormed(username) || Names.isReserved(username))) {
            throw new ParameterException(spec.commandLine(),
                    "USERNAME must be 1-32 of A-Z a-z 0-9 _ - and not client<digits>: " + username);
        }
        if ((ca != null || insecure) && !tls) {
            throw new ParameterException(spec.commandLine(), (insecure ? "--insecure" : "--ca") + " needs --tls");
        }
        if (ca != null && insecure) {
            throw new ParameterException(spec.commandLine(), "--ca and --insecure exclude each other");
        }
        if (reconnectAttempts != null && reconnectAttempts < 0) {
            throw new ParameterException(spec.commandLine(), "--reconnect-attempts must not be negative: " + reconnectAttempts);
        }
    }

    private Console openConsole(String name, ExecRegistry registry) {
        if (interactive) {
            // JLine reports through java.util.logging, whose default handler writes to the console.
            jlineLog = java.util.logging.Logger.getLogger("org.jline");
            jlineLog.setLevel(Level.OFF);
            try {
                return JLineConsole.open(Clock.systemDefaultZone(), name, registry.names());
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("no terminal (" + e.getMessage() + "); reading lines from stdin");
            }
        }
        return new PipedConsole(stdin, spec.commandLine().getOut(), spec.commandLine().getErr(), raw,
                Clock.systemDefaultZone());
    }

    /** {@link LogFormat#parse} for picocli: a bad name is a usage error (exit 2). */
    static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
