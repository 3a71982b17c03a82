package io.hermesnet.client.cli;

import picocli.CommandLine;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One in-process run of {@code hermes-client} through picocli, in piped mode, on its own thread. */
final class ClientRun {
    final LineCapture out = new LineCapture();
    final LineCapture err = new LineCapture();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private ClientRun(InputStream stdin, String... args) {
        CommandLine cmd = HermesClientMain.commandLine(new HermesClientMain(stdin, false));
        cmd.setOut(out.printWriter());
        cmd.setErr(err.printWriter());
        Thread t = new Thread(() -> {
            try {
                exit.complete(cmd.execute(args));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "hermes-client-under-test");
        t.setDaemon(true);
        t.start();
    }

    static ClientRun start(InputStream stdin, String... args) {
        return new ClientRun(stdin, args);
    }

    /** The exit code, waiting at most {@code timeout}. */
    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
