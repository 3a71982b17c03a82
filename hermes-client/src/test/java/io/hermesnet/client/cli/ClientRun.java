package io.hermesnet.client.cli;

import io.hermesnet.testkit.LineSource;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One in-process run of {@code hermes-client} through picocli, in piped mode, on its own thread. */
final class ClientRun {
    final LineSource out;
    final LineSource err;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private ClientRun(InputStream stdin, String... args) {
        CommandLine cmd = HermesClientMain.commandLine(new HermesClientMain(stdin, false));
        out = LineSource.ofWriter("stdout", w -> cmd.setOut(new PrintWriter(w, true)));
        err = LineSource.ofWriter("stderr", w -> cmd.setErr(new PrintWriter(w, true)));
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
