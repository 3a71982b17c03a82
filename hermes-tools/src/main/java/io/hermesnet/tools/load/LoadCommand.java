package io.hermesnet.tools.load;

import io.hermesnet.config.HermesVersionProvider;
import io.hermesnet.config.Units;
import io.hermesnet.server.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The {@code hermes-load} command line: parses the flags into {@link LoadOptions}, runs a
 * {@link LoadGenerator}, prints the progress on stderr and the {@link LoadReport} on stdout (as text,
 * or one JSON object with {@code --json}), and returns the report's exit code: 0 ok, 1 loss or closed
 * connections or missed ticks, 2 bad arguments, 3 setup failed, 4 timeout. See {@code docs/load.md}.
 *
 * <p>One instance serves one {@code execute}, on the caller's thread.
 */
@Command(
        name = "hermes-load",
        mixinStandardHelpOptions = true,
        versionProvider = HermesVersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Loads a HermesNet server: connects subscribers and publishers, publishes marked chat lines,"
                + " and reports throughput, latency, loss, and (with --ticks) the ID tick delay.",
        footerHeading = "%n",
        footer = {
                "Durations: 500ms, 30s, 2m. Progress goes to stderr once a second, the summary to stdout.",
                "",
                "Exit codes: 0 ok, 1 lines lost or duplicated, connections closed by the server or ticks missed,"
                        + " or cannot connect, 2 bad arguments, 3 setup failed (ERROR FULL, closed before WELCOME), 4 --timeout passed."})
public final class LoadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = LoadOptions.DEFAULT_HOST,
            description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + LoadOptions.DEFAULT_PORT,
            description = "Server port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = {"-c", "--clients"}, paramLabel = "N", defaultValue = "" + LoadOptions.DEFAULT_CLIENTS,
            description = "Subscribers: connections that read and measure (default: ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = {"-p", "--publishers"}, paramLabel = "P",
            description = "Connections that publish; they are clients of the server too (default: "
                    + LoadOptions.DEFAULT_PUBLISHERS + ", 0 with --ticks).")
    private Integer publishers;

    @Option(names = {"-m", "--messages"}, paramLabel = "M",
            description = "Chat lines to publish over all publishers (default: " + LoadOptions.DEFAULT_MESSAGES
                    + " unless --duration).")
    private Long messages;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Publish for this long instead of --messages; with --ticks, how long to hold the clients"
                    + " (default there: 10s).")
    private Duration duration;

    @Option(names = {"-r", "--rate"}, paramLabel = "R", defaultValue = "0",
            description = "Chat lines per second over all publishers; 0 = flat out, as fast as the server reads"
                    + " them (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = {"-w", "--window"}, paramLabel = "LINES",
            description = "Flat out: a publisher's lines in flight per subscriber (sent, not yet received); 0 = none,"
                    + " TCP backpressure only (default: " + LoadOptions.DEFAULT_WINDOW + ", fewer for payloads over"
                    + " ~2.5 KiB, to keep " + LoadOptions.DEFAULT_WINDOW_BYTES / 1024 + " KiB per subscriber).")
    private Integer window;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "" + LoadOptions.DEFAULT_PAYLOAD_BYTES,
            description = "Payload bytes of each chat line, at least the ~40-byte marker (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--ticks",
            description = "Measure the ID ticks of every client: delay, missed ticks, duplicate IDs (docs/protocol.md §3.2).")
    private boolean ticks;

    @Option(names = "--tick-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "The server's --tick-interval, for --ticks (default: ${DEFAULT-VALUE}).")
    private Duration tickInterval;

    @Option(names = "--connect-rate", paramLabel = "PER_SECOND", defaultValue = "" + (int) LoadOptions.DEFAULT_CONNECT_RATE,
            description = "New connections per second during setup; 0 = all at once (default: ${DEFAULT-VALUE}).")
    private double connectRate;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "Bound of the whole run; then it stops, reports and exits 4 (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "" + LoadOptions.DEFAULT_IO_THREADS,
            description = "Netty event loops of the load generator (default: ${DEFAULT-VALUE}).")
    private int ioThreads;

    @Option(names = "--transport", paramLabel = "auto|epoll|nio", defaultValue = "auto",
            description = "I/O transport; auto picks epoll where it loads (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--tls", description = "Speak TLS to the server (any certificate accepted: for measuring, not for trust).")
    private boolean tls;

    @Option(names = "--ws", description = "Connect as browsers do: WebSocket to /ws of PORT (the server's --http-port), one text frame per line.")
    private boolean webSocket;

    @Option(names = "--publish-port", paramLabel = "PORT",
            description = "The publishers connect here over the line protocol (e.g. the line port, while --ws subscribers use PORT).")
    private int publishPort;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    private boolean json;

    /** The {@link CommandLine} that runs {@code command}: the one {@link LoadMain} and the tests use. */
    public static CommandLine commandLine(LoadCommand command) {
        return new CommandLine(command).setParameterExceptionHandler(LoadCommand::badArguments);
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("hermes-load: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        CommandLine.Help help = cmd.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Run 'hermes-load --help' for every flag.");
        err.flush();
        return LoadReport.EXIT_USAGE;
    }

    /**
     * Runs the load test.
     *
     * @return the report's exit code
     * @throws ParameterException for flags that parse but do not fit together (exit code 2)
     */
    @Override
    public Integer call() {
        LoadOptions options = options();
        LoadReport report = LoadGenerator.run(options, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (report.outcome() == LoadReport.Outcome.CANNOT_CONNECT) {
            // nothing was measured: one line, as hermes-client says it, instead of a summary of zeros
            PrintWriter err = spec.commandLine().getErr();
            err.println("hermes-load: " + report.problem());
            err.flush();
            if (json) {
                out.println(report.toJson()); // a script reading the JSON still gets its object
                out.flush();
            }
            return report.exitCode();
        }
        if (json) {
            out.println(report.toJson());
        } else {
            out.print(report.toText());
        }
        out.flush();
        return report.exitCode();
    }

    private LoadOptions options() {
        if (messages != null && duration != null) {
            throw new ParameterException(spec.commandLine(), "give --messages or --duration, not both");
        }
        LoadOptions.Builder b = LoadOptions.builder().host(host).port(port).clients(clients).rate(rate)
                .payloadBytes(size).ticks(ticks).tickInterval(tickInterval).connectRate(connectRate).timeout(timeout)
                .ioThreads(ioThreads).transport(transport()).tls(tls).webSocket(webSocket).publishPort(publishPort);
        if (publishers != null) {
            b.publishers(publishers);
        }
        if (window != null) {
            b.window(window);
        }
        if (messages != null) {
            b.messages(messages);
        }
        if (duration != null) {
            b.duration(duration);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Transport transport() {
        try {
            return switch (transport.toLowerCase(Locale.ROOT)) {
                case "auto" -> Transport.best();
                case "nio" -> Transport.nio();
                case "epoll" -> Transport.epoll();
                default -> throw new ParameterException(spec.commandLine(),
                        "--transport must be auto, epoll or nio, not '" + transport + "'");
            };
        } catch (UnsatisfiedLinkError e) {
            throw new ParameterException(spec.commandLine(), "--transport epoll is not available here: " + e.getMessage());
        }
    }

    /** {@link Units#parseDuration} for picocli. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Units.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
