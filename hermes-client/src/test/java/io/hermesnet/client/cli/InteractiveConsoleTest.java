package io.hermesnet.client.cli;

import io.hermesnet.client.ExecRegistry;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive console on a virtual JLine terminal (keys in, screen out) against an in-process
 * server: what a person at the keyboard sees. The real terminal was also tried under tmux (docs/client.md).
 */
@Timeout(30)
class InteractiveConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private HermesServer server;
    private PipedOutputStream keys;
    private TerminalOutput screen;
    private CompletableFuture<Integer> exit;
    private JLineConsole console;
    /** JLine reports through java.util.logging (the app turns it off too); held, as JUL keeps loggers weakly. */
    private final java.util.logging.Logger jlineLog = java.util.logging.Logger.getLogger("org.jline");

    @BeforeEach
    void start() throws IOException {
        jlineLog.setLevel(java.util.logging.Level.OFF);
        server = HermesServer.start(HermesConfig.builder().tickInterval(Duration.ZERO).build(),
                new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws IOException {
        if (console != null) {
            console.close();
        }
        if (keys != null) {
            keys.close();
        }
        server.close();
    }

    private Terminal terminal;

    private void startConsole(String name) throws IOException {
        startConsole(name, 160);
    }

    private void startConsole(String name, int columns) throws IOException {
        startConsole(name, columns, server.localAddress().getPort());
    }

    private void startConsole(String name, int columns, int port) throws IOException {
        keys = new PipedOutputStream();
        screen = new TerminalOutput();
        // An ExternalTerminal runs the line discipline in Java over the piped streams.
        terminal = new ExternalTerminal("hermes-test", "xterm-256color", new PipedInputStream(keys), screen,
                StandardCharsets.UTF_8);
        terminal.setSize(new Size(columns, 40));
        // Ctrl-C reaches the console as a key here (no ISIG), so the test does not race a signal
        // against the keys; with a real terminal it comes as SIGINT and ends the same way.
        Attributes tty = terminal.getAttributes();
        tty.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(tty);
        ExecRegistry registry = ExecRegistry.withBuiltins(Clock.systemDefaultZone());
        // The console is closed only after the test has read the screen, so nothing is cut off in the pump.
        console = new JLineConsole(terminal, Clock.systemDefaultZone(), name, registry.names());
        ClientOptions options = new ClientOptions("127.0.0.1", port, name, false, 0,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), null);
        exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                exit.complete(new ClientRunner(options, console, registry, new Backoff(new Random(1))).run());
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "interactive-client-under-test");
        t.setDaemon(true);
        t.start();
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    @Test
    void chatsShowsHelpLocallyAndExitsZeroAfterQuit() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            startConsole("bob");
            screen.await("*** you are now bob", WAIT);

            type("/help\r");
            screen.await("Others can /exec here: echo help rank time uptime whoami", WAIT);
            screen.await("<rank> <command> ask the client of a lower rank", WAIT); // the server's HELP line for /exec

            type("hello alice\r");
            alice.await("MSG 2 bob hello alice", WAIT);
            screen.await("<bob> hello alice", WAIT);

            alice.send("hi bob");
            screen.await("<client1> hi bob", WAIT);

            alice.send("/exec 1 echo ping");
            alice.await("RESULT \\d+ bob ping", WAIT);
            screen.await("!!! client1 (rank 0) ran here: echo ping  -> ping", WAIT);

            type("/who\r");
            screen.await("2 clients connected", WAIT);

            type("/quit\r");
            assertEquals(0, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            screen.await("*** disconnected: Goodbye", WAIT);
            alice.await("LEAVE 2 bob logout", WAIT);
            assertFalse(screen.text().contains("UNKNOWN_COMMAND"),
                    "a server without /help gets the client's own list, not an error:\n" + screen.text());
        }
    }

    @Test
    void ctrlCClearsTheTypedLineAndOnAnEmptyLineLeaves() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            startConsole("bob");
            screen.await("2 clients connected", WAIT);
            type("half a thought");
            screen.await("thought", WAIT); // Ctrl-C is a signal: it must not overtake the keys
            type("\u0003");
            type("hello\r");
            alice.await("MSG 2 bob hello", WAIT); // not "half a thoughthello", and still connected
            type("\u0003"); // on an empty line: leave
            assertEquals(0, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            screen.await("*** disconnected: Goodbye", WAIT);
            alice.await("LEAVE 2 bob logout", WAIT);
        }
    }

    @Test
    void tabCompletesCommandsAtTheStartAndNicknamesAnywhereAndOtherwiseNothing() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            alice.send("/nick alice");
            alice.await("NAME alice", WAIT);
            startConsole("bob");
            screen.await("2 clients connected", WAIT); // the WHO answer on joining: Tab knows alice
            type("hello al\t\r");
            alice.await("MSG 2 bob hello alice ?", WAIT);
            type("al\tthere\r");
            alice.await("MSG 2 bob alice: there", WAIT);
            type("see /e\tx\r");
            alice.await("MSG 2 bob see /ex", WAIT); // a command name is completed only at the start
            type("and \tthen\r");
            alice.await("MSG 2 bob and then", WAIT); // an empty word: nothing, no tab, no menu
            type("zz\t\r");
            alice.await("MSG 2 bob zz", WAIT); // no match: nothing
            alice.send("/nick alicia");
            screen.await("alice is now known as alicia", WAIT);
            type("hi ali\t\r");
            alice.await("MSG 2 bob hi alicia ?", WAIT); // the list follows RENAME
            type("/wh\t\r");
            screen.await("> /who", WAIT);
            assertFalse(screen.text().contains("/exec"), screen.text());
        }
    }

    @Test
    void refusedLinesAreShownWithTheRefusalAndRoomNamesAreReal() throws Exception {
        server.close();
        server = HermesServer.start(HermesConfig.builder().tickInterval(Duration.ZERO).roomSize(2).turns(true).build(),
                new InetSocketAddress("127.0.0.1", 0));
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            alice.send("/nick alice");
            alice.await("NAME alice", WAIT);
            startConsole("bob");
            screen.await("room 1 is ready: alice, bob", WAIT); // READY named bob client2; shown with the real name
            alice.await("TURN WRITE", WAIT);
            type("out of turn\r");
            screen.await("!!! not sent (NOT_YOUR_TURN", WAIT);
            screen.await("): out of turn", WAIT);
            assertFalse(screen.text().contains("<bob> out of turn"), screen.text());
            type("EXEC\r");
            screen.await("> EXEC", WAIT); // a bare EXEC is a command, not chat
            screen.await("!!! not sent (BAD_ARGS", WAIT);
            alice.send("your turn");
            screen.await("<alice> your turn", WAIT);
            type("thanks\r");
            alice.await("MSG 2 bob thanks", WAIT);
            screen.await("<bob> thanks", WAIT);
            assertFalse(screen.text().matches("(?s).*room 1 is ready: [^\n]*client2.*"), screen.text());
        }
    }

    /**
     * A line typed while the screen still says READ but read by the server after it passed the turn is taken:
     * the server's {@code TURN WRITE} comes before any refusal of it, and the line is then shown as sent. A
     * plain socket plays the server, so the order is the test's, not a race's.
     */
    @Test
    void aLineTypedJustBeforeTheTurnReachedTheScreenIsShownOnceTheTurnSaysItWasTaken() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            fake.setSoTimeout((int) WAIT.toMillis());
            startConsole("bob", 160, fake.getLocalPort());
            try (Socket s = fake.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                assertEquals("/nick bob", in.readLine());
                out.write("WELCOME 2 client2 1 hi\r\nNAME bob\r\nROOM 1 READY alice bob\r\nTURN READ\r\n"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                screen.await("room 1 is ready: alice, bob", WAIT);
                screen.await(" READ>", WAIT);
                type("too early\r");
                assertEquals("too early", typedLine(in));
                out.write("ERROR NOT_YOUR_TURN wait for TURN WRITE\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                screen.await("): too early", WAIT);
                type("thanks\r");
                assertEquals("thanks", typedLine(in));
                // alice's line passed the turn before the server read bob's: TURN WRITE, no refusal
                out.write("MSG 1 alice your turn\r\nTURN WRITE\r\nTURN READ\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                screen.await("<bob> thanks", WAIT);
                assertFalse(screen.text().contains("<bob> too early"), screen.text());
            }
        }
    }

    /** The next line the user typed, past the {@code /who} the console asks by itself when a room is ready. */
    private static String typedLine(BufferedReader in) throws IOException {
        String line = in.readLine();
        while ("/who".equals(line)) {
            line = in.readLine();
        }
        return line;
    }

    @Test
    void longLinesWrapBetweenWordsAndAResizeRedrawsThePromptsCleanly() throws Exception {
        try (LineClient alice = LineClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            startConsole("bob", 60);
            screen.await("2 clients connected", WAIT);
            alice.send("every word of this rather long line stays whole when the console wraps it");
            screen.await("<client1> every word", WAIT);
            screen.await("wraps it", WAIT);
            for (String row : screen.text().split("\r?\n")) {
                assertFalse(row.contains("wor\r") || row.endsWith(" wo") || row.endsWith("whe"), row);
            }
            type("typed");
            screen.await("typed", WAIT);
            ScreenTerminal emulator = new ScreenTerminal(60, 40);
            emulator.write(screen.written());
            int before = screen.written().length();
            terminal.setSize(new Size(100, 40));
            emulator.setSize(100, 40);
            terminal.raise(Terminal.Signal.WINCH);
            screen.awaitMore(before, "online", WAIT);
            emulator.write(screen.written().substring(before));
            String shown = emulator.toString();
            assertEquals(1, count(shown, "online"), "one right prompt on the screen:\n" + shown);
            String promptRow = java.util.Arrays.stream(shown.split("\n")).filter(r -> r.contains("bob> typed")).findFirst()
                    .orElseThrow(() -> new AssertionError(shown));
            assertTrue(promptRow.stripTrailing().endsWith("2 online"), "right prompt at the new right edge: " + promptRow);
            assertTrue(promptRow.stripTrailing().length() > 90, promptRow);
        }
    }

    private static int count(String text, String piece) {
        int n = 0;
        for (int i = text.indexOf(piece); i >= 0; i = text.indexOf(piece, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void ctrlDLogsOutAndExitsZero() throws Exception {
        startConsole("carol");
        screen.await("*** you are now carol", WAIT);
        type("\u0004");
        assertEquals(0, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        screen.await("*** disconnected: Goodbye", WAIT);
    }

    @Test
    void serverClosingPrintsOneLineAndExitsZero() throws Exception {
        startConsole("dave");
        screen.await("*** you are now dave", WAIT);
        type("half a line");
        server.close();
        assertEquals(0, exit.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        screen.await("*** disconnected: Thank you", WAIT);
    }
}
