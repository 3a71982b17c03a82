package io.hermesnet.limits;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static io.hermesnet.limits.TestServers.WAIT;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md §3.11 slow consumers over real sockets: a client that never reads (4 KiB receive buffer) is
 * flooded with chat until the server cuts it with reason {@code sendq}, by {@code --max-pending} or by
 * {@code --write-timeout}; the others see {@code LEAVE <id> <name> sendq}, and a third client's chat
 * reaches a fourth promptly all along.
 *
 * <p>The flooder sends batches of 32 lines of 1 KB and sends the next batch only when both reading
 * clients (chatter and listener) have received the whole previous one. The flood is thereby as fast
 * as the readers drain it, never faster: at most one batch (about 33 KB) is ever queued for a reader,
 * under the 64 KiB high water mark and {@code --max-pending}, so only the stuck client can be cut,
 * however the test's threads are scheduled. (Paced only by the server, the flood once outran a
 * reader's thread on a loaded machine, and the server rightly cut that reader as a slow consumer.)
 * Nothing piles up in the flooder's socket either, so the chat latency measured is the server's. The
 * server's socket send buffers are pinned to 16 KiB (see {@link TestServers#start(HermesConfig, int)}).
 */
class SlowConsumerTest {
    private static final int MAX_FLOOD_BATCHES = 5_000;
    private static final int BATCH_LINES = 32;
    private static final String PAYLOAD = "f".repeat(1000);
    private static final Predicate<String> NOT_FLOOD = l -> !isFlood(l);

    private static boolean isFlood(String line) {
        return line.startsWith("MSG ") && line.endsWith(PAYLOAD);
    }

    /** Keeps the lines that are not flood and counts the flood lines in {@code received}, one permit each. */
    private static Predicate<String> countingFlood(Semaphore received) {
        return l -> {
            if (isFlood(l)) {
                received.release();
                return false;
            }
            return true;
        };
    }

    @Test
    @Timeout(30)
    void aClientThatNeverReadsIsCutAtMaxPending() throws Exception {
        floodUntilCut(TestServers.config().maxPendingBytes(64 * 1024).writeTimeout(Duration.ZERO).build());
    }

    @Test
    @Timeout(30)
    void aClientThatNeverReadsIsCutAtTheWriteTimeout() throws Exception {
        floodUntilCut(TestServers.config().maxPendingBytes(1L << 30).writeTimeout(Duration.ofMillis(300)).build());
    }

    private static void floodUntilCut(HermesConfig config) throws Exception {
        try (HermesServer server = TestServers.start(config, 16 * 1024)) {
            Semaphore chatterFlood = new Semaphore(0);
            Semaphore listenerFlood = new Semaphore(0);
            try (LineClient stuck = TestServers.client(server, b -> b.receiveBufferSize(4096).startPaused(true));
                 LineClient flooder = TestServers.client(server, b -> b.keepLines(NOT_FLOOD));
                 LineClient chatter = TestServers.client(server, b -> b.keepLines(countingFlood(chatterFlood)));
                 LineClient listener = TestServers.client(server, b -> b.keepLines(countingFlood(listenerFlood)))) {
                flooder.awaitWelcome();
                chatter.awaitWelcome();
                listener.awaitWelcome();
                // the stuck client never reads: learn its id and name from /who, by its port
                listener.awaitLine("CLIENTS 4");
                listener.send("/who");
                String[] row = listener.await("WHO .*:" + stuck.localPort(), WAIT).group().split(" ");
                String leave = "LEAVE " + row[1] + " " + row[2] + " sendq";

                CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                    try {
                        StringBuilder batch = new StringBuilder();
                        int batches = 0;
                        while (batches < MAX_FLOOD_BATCHES && !chatter.transcript().contains(leave)) {
                            batch.setLength(0);
                            for (int i = 0; i < BATCH_LINES; i++) {
                                batch.append(batches).append(' ').append(i).append(' ').append(PAYLOAD).append('\n');
                            }
                            flooder.sendRaw(batch.toString().getBytes(StandardCharsets.UTF_8));
                            awaitBatch(chatterFlood, "chatter", batches);
                            awaitBatch(listenerFlood, "listener", batches);
                            batches++;
                        }
                        return batches;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });

                long worstNanos = 0;
                boolean listenerSawLeave = false;
                int rounds = 0;
                String from = "MSG " + chatter.welcome().id() + " " + chatter.welcome().name() + " ";
                do { // the chatter's lines reach the listener promptly, during and after the flood
                    Pattern hi = Pattern.compile(Pattern.quote(from + "hi " + rounds));
                    long start = System.nanoTime();
                    chatter.send("hi " + rounds);
                    List<String> seen = listener.linesUntil(hi, WAIT);
                    worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                    listenerSawLeave |= seen.contains(leave);
                    rounds++;
                } while (!flood.isDone());
                int batches = flood.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                long worstMs = TimeUnit.NANOSECONDS.toMillis(worstNanos);
                System.out.printf("flood: %d batches of %d lines, %d chat rounds, worst chat latency %d ms%n",
                        batches, BATCH_LINES, rounds, worstMs);

                assertTrue(batches < MAX_FLOOD_BATCHES, "the stuck client was never cut");
                chatter.awaitLine(leave);
                if (!listenerSawLeave) {
                    listener.awaitLine(leave);
                }
                assertTrue(worstMs < 2000, "a chat line took " + worstMs + " ms during the flood");
                chatter.send("after");
                listener.awaitLine(from + "after");
            }
        }
    }

    /** Waits until a reader has received every line of batch {@code batch}; fails if it never does. */
    private static void awaitBatch(Semaphore received, String reader, int batch) throws InterruptedException {
        if (!received.tryAcquire(BATCH_LINES, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the " + reader + " did not receive flood batch " + batch + " within "
                    + WAIT + " (" + received.availablePermits() + " of its lines)");
        }
    }
}
