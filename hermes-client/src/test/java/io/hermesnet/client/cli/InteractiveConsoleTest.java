package io.hermesnet.client.cli;

import io.hermesnet.client.ExecRegistry;
import io.hermesnet.server.HermesConfig;
import io.hermesnet.server.HermesServer;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

    private void startConsole(String name) throws IOException {
        keys = new PipedOutputStream();
        screen = new TerminalOutput();
        Terminal terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys), screen)
                .type("xterm-256color").size(new Size(160, 40)).encoding(StandardCharsets.UTF_8).build();
        ExecRegistry registry = ExecRegistry.withBuiltins(Clock.systemDefaultZone());
        // JLine runs this terminal on a pty whose output a pump thread copies to the screen stream; the
        // console is closed only after the test has read the screen, so nothing is cut off in the pump.
        console = new JLineConsole(terminal, Clock.systemDefaultZone(), name, registry.names());
        ClientOptions options = new ClientOptions("127.0.0.1", server.localAddress().getPort(), name, false, 0,
                Duration.ofSeconds(5), Duration.ofSeconds(5));
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
        try (RawClient alice = RawClient.connect(server.localAddress())) {
            alice.await("WELCOME 1 .*", WAIT);
            startConsole("bob");
            screen.await("*** you are now bob", WAIT);

            type("/help\r");
            screen.await("  /exec <rank> <command>", WAIT);
            screen.await("Others can /exec here: echo help rank time uptime whoami", WAIT);

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
