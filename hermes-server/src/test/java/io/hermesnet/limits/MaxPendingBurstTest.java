package io.hermesnet.limits;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --max-pending} (docs/server.md) over real sockets, at 16 KiB, 64 KiB and 1 MiB: the
 * limit names what a reader falls behind by, so a reader that reads as fast as it can is never cut
 * while two others send bursts of 256 KB (each far over the limit, and over the server's 64 KiB write
 * batch), and a client that stops reading still is, with {@code LEAVE <id> <name> sendq}.
 *
 * <p>The server runs as users start it with {@code --quiet}, ticks off and {@code --write-timeout off}
 * (so only {@code --max-pending} can cut), on two event loops, so the fan-out crosses loops as well as
 * appending on the recipient's own loop.
 */
class MaxPendingBurstTest {
    private static final int BURST_LINES = 256;
    private static final String PAYLOAD = "b".repeat(1000); // 256 lines: 256 KB per burst
    private static final int BURSTS = 4;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).writeTimeout(Duration.ZERO).quiet(true).maxClients(10))
            .ioThreads(2)
            .clientTimeout(WAIT)
            .build();

    @ParameterizedTest(name = "--max-pending {0} bytes")
    @ValueSource(ints = {16 * 1024, 64 * 1024, 1024 * 1024})
    @Timeout(60)
    void aReaderThatKeepsUpSurvivesTwoBurstingSenders(int maxPending) {
        server.configure(c -> c.maxPendingBytes(maxPending));
        LineClient reader = server.join();
        LineClient a = server.join();
        LineClient b = server.join();
        reader.await("CLIENTS 3");

        for (int burst = 0; burst < BURSTS; burst++) {
            sendBursts(a, b, burst);
            // every line of both bursts reaches the reader (and each sender gets the other's)
            awaitLastLines(reader, burst, a, b);
            awaitLastLines(a, burst, b);
            awaitLastLines(b, burst, a);
        }

        a.send("done");
        reader.awaitLine("MSG " + a.welcome().id() + " " + a.welcome().name() + " done");
        for (LineClient c : new LineClient[] {reader, a, b}) {
            assertFalse(c.isClosedByServer(), c + " was disconnected");
            assertTrue(c.transcript().stream().noneMatch(l -> l.startsWith("LEAVE ")),
                    "nobody leaves: " + c.transcript().stream().filter(l -> l.startsWith("LEAVE ")).toList());
        }
    }

    @ParameterizedTest(name = "--max-pending {0} bytes")
    @ValueSource(ints = {16 * 1024, 64 * 1024, 1024 * 1024})
    @Timeout(60)
    void aReaderThatStopsReadingIsCutWithSendq(int maxPending) {
        server.configure(c -> c.maxPendingBytes(maxPending));
        LineClient reader = server.join();
        LineClient a = server.join();
        LineClient b = server.join();
        LineClient stuck = server.client(o -> o.receiveBufferSize(4096));
        stuck.awaitWelcome();
        reader.await("CLIENTS 4");
        stuck.pauseReading();

        Pattern leave = Pattern.compile("LEAVE " + stuck.welcome().id() + " " + Pattern.quote(stuck.welcome().name())
                + " sendq");
        // the kernel's buffers take some megabytes before the server's queue grows: burst until the cut,
        // at most 64 MB
        for (int burst = 0; burst < 128 && reader.transcript().stream().noneMatch(l -> leave.matcher(l).matches());
                burst++) {
            sendBursts(a, b, burst);
            awaitLastLines(reader, burst, a, b);
            awaitLastLines(a, burst, b);
            awaitLastLines(b, burst, a);
        }
        assertTrue(reader.transcript().stream().anyMatch(l -> leave.matcher(l).matches()),
                "the client that stopped reading was never cut");
        assertFalse(reader.isClosedByServer(), "the reader was disconnected");
        assertTrue(reader.transcript().stream().filter(l -> l.startsWith("LEAVE ")).count() == 1,
                "only the stuck client leaves: " + reader.transcript().stream().filter(l -> l.startsWith("LEAVE ")).toList());
    }

    /** Both senders send their burst number {@code burst} at once, each in one write. */
    private static void sendBursts(LineClient a, LineClient b, int burst) {
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> b.sendRaw(burst(burst)));
        a.sendRaw(burst(burst));
        other.join();
    }

    private static byte[] burst(int burst) {
        StringBuilder sb = new StringBuilder(BURST_LINES * (PAYLOAD.length() + 16));
        for (int i = 0; i < BURST_LINES; i++) {
            sb.append(burst).append(' ').append(i).append(' ').append(PAYLOAD).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Awaits the last line of burst {@code burst} from each of {@code senders}, in whatever order they come. */
    private static void awaitLastLines(LineClient c, int burst, LineClient... senders) {
        Set<String> missing = new HashSet<>();
        StringBuilder alternatives = new StringBuilder();
        for (LineClient s : senders) {
            missing.add(String.valueOf(s.welcome().id()));
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(s.welcome().id());
        }
        Pattern last = Pattern.compile("MSG (" + alternatives + ") \\S+ " + burst + " " + (BURST_LINES - 1) + " " + PAYLOAD);
        while (!missing.isEmpty()) {
            missing.remove(c.await(last, WAIT).group(1));
        }
    }
}
