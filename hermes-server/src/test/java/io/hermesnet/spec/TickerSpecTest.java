package io.hermesnet.spec;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.testkit.AcrossTopologies;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §2 {@code ID} and §3.2 ID ticker, over real sockets (rows with more than one client also on three cluster nodes). */
@Timeout(20)
class TickerSpecTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @RegisterExtension
    static final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(INTERVAL))
            .build();

    /** A second server whose counter starts two below the unsigned 32-bit wrap; started only by the test using it. */
    @RegisterExtension
    final HermesServerExtension nearWrap = HermesServerExtension.builder()
            .config(c -> c.tickInterval(INTERVAL))
            .hub(c -> new HermesHub(c, Clock.systemUTC(), 0xFFFF_FFFEL, ByteBufAllocator.DEFAULT))
            .build();

    @Test
    void theKthTickArrivesNoEarlierThanKIntervalsAfterConnectingAndAfterWelcome() {
        long connecting = System.nanoTime();
        LineClient c = server.client();
        c.awaitWelcome();
        for (int k = 1; k <= 3; k++) {
            LineClient.Tick tick = c.awaitTick();
            long elapsed = tick.receivedNanos() - connecting;
            assertTrue(elapsed >= k * INTERVAL.toNanos(), "tick " + k + " after " + elapsed / 1_000_000 + " ms");
        }
        assertEquals("WELCOME 1 client1 0 Welcome to HermesNet!", c.transcript().get(0), "WELCOME comes before any ID");
    }

    @AcrossTopologies
    void idValuesAreUniqueAcrossClientsAndIncreasePerClient() {
        LineClient a = server.join();
        LineClient b = server.join();
        Set<Long> all = new HashSet<>();
        for (LineClient c : List.of(a, b)) {
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                values.add(c.awaitTick().value());
            }
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) > values.get(i - 1), "increasing: " + values);
            }
            all.addAll(values);
        }
        assertEquals(10, all.size(), "no value sent twice: " + all);
    }

    @Test
    void theCounterWrapsToZeroAfter4294967295() {
        LineClient c = nearWrap.join();
        assertEquals(4294967294L, c.awaitTick().value());
        assertEquals(4294967295L, c.awaitTick().value());
        assertEquals(0L, c.awaitTick().value());
        assertEquals(1L, c.awaitTick().value());
    }

    @Test
    void tickIntervalZeroDisablesTicks() {
        server.configure(c -> c.tickInterval(Duration.ZERO));
        LineClient c = server.join();
        c.assertNoTickWithin(INTERVAL.multipliedBy(5));
        c.sync(); // still connected and served
    }

    /**
     * A client that does not read lets its channel become unwritable; while it is, its ticks are skipped,
     * not queued: no counter value is spent on it while another client keeps ticking.
     */
    @Test
    void aClientThatIsNotWritableSkipsTicks() {
        // Limits that would cut the stuck client (later hardening) are lifted: this test is about ticks.
        server.configure(c -> c.maxPendingBytes(256L << 20).writeTimeout(Duration.ZERO).maxLineBytes(8192));
        LineClient stuck = server.client(b -> b.receiveBufferSize(4096).startPaused(true));
        LineClient flooder = server.join();
        // ~6 MiB of chat for the stuck client: more than the kernel buffers take (about 2-4 MiB on
        // loopback), so Netty's outbound buffer stays above its high water mark until the client reads.
        String line = "x".repeat(8000);
        for (int i = 0; i < 800; i++) {
            flooder.send(line);
        }
        flooder.sync(); // every flood line has been relayed: the stuck channel is unwritable from here on
        flooder.drainTicks(); // the flooder's next ticks are counter values taken after that point
        long first = flooder.awaitTick().value();
        long last = first;
        for (int i = 0; i < 4; i++) {
            last = flooder.awaitTick().value();
        }
        stuck.resumeReading();
        stuck.awaitWelcome();
        stuck.await("MSG 2 client2 x+");
        Clients.settle(stuck);
        List<Long> stuckTicks = new ArrayList<>();
        for (String l : stuck.transcript()) {
            if (l.startsWith("ID ")) {
                stuckTicks.add(Long.parseLong(l.substring(3)));
            }
        }
        for (long v : stuckTicks) {
            assertTrue(v < first || v > last, "the stuck client got tick " + v + " while unwritable, during ["
                    + first + ", " + last + "]; its ticks: " + stuckTicks);
        }
    }
}
