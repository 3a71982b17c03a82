package io.hermesnet.handler;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.server.HermesPipeline;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IdTickerHandler} (docs/protocol.md §3.2), on a frozen clock. */
class IdTickerHandlerTest {
    private static final HermesConfig ONE_SECOND = HermesConfig.builder().tickInterval(Duration.ofSeconds(1)).build();

    private TestClients clients = new TestClients(ONE_SECOND);

    @AfterEach
    void release() {
        clients.close();
    }

    @Test
    void firstIdComesExactlyOneIntervalAfterWelcome() {
        TestClient a = clients.connect();
        assertEquals("WELCOME 1 client1 0 Welcome to HermesNet!", a.lines().get(0));
        a.advance(999_999_999, NANOSECONDS);
        assertEquals(List.of(), a.lines(), "no tick before one interval");
        a.advance(1, NANOSECONDS);
        assertEquals(List.of("ID 0"), a.lines());
    }

    @Test
    void oneIdPerIntervalWithConsecutiveValues() {
        TestClient a = clients.connect();
        a.lines();
        for (int i = 0; i < 5; i++) {
            a.advance(1, SECONDS);
            assertEquals(List.of("ID " + i), a.lines());
        }
        a.advance(500, MILLISECONDS);
        assertEquals(List.of(), a.lines());
        a.advance(3500, MILLISECONDS);
        assertEquals(List.of("ID 5", "ID 6", "ID 7", "ID 8"), a.lines());
    }

    @Test
    void intervalComesFromTheConfig() {
        clients.close();
        clients = new TestClients(HermesConfig.builder().tickInterval(Duration.ofMillis(250)).build());
        TestClient a = clients.connect();
        a.lines();
        a.advance(1, SECONDS);
        assertEquals(List.of("ID 0", "ID 1", "ID 2", "ID 3"), a.lines());
    }

    @Test
    void zeroIntervalDisablesTicks() {
        clients.close();
        clients = new TestClients(HermesConfig.builder().tickInterval(Duration.ZERO).build());
        TestClient a = clients.connect();
        a.lines();
        a.advance(1, java.util.concurrent.TimeUnit.HOURS);
        assertEquals(List.of(), a.lines());
    }

    @Test
    void valuesAreUniqueAcrossAllClients() {
        List<TestClient> all = clients.connect(4);
        clients.drainAll();
        List<Long> seen = new ArrayList<>();
        for (int round = 0; round < 25; round++) {
            for (TestClient c : all) {
                c.advance(1, SECONDS);
                for (String line : c.lines()) {
                    seen.add(((ServerEvent.IdTick) io.hermesnet.protocol.ProtocolParser.parseEvent(line)).value());
                }
            }
        }
        assertEquals(100, seen.size());
        Set<Long> unique = new HashSet<>(seen);
        assertEquals(100, unique.size(), "no two ID lines carry the same number");
        for (long v = 0; v < 100; v++) {
            assertTrue(unique.contains(v), "one counter, no gaps: missing " + v);
        }
    }

    @Test
    void counterWrapsFromMaxUnsigned32BitToZero() {
        clients.close();
        clients = TestClients.withFirstTick(ONE_SECOND, 0xFFFF_FFFEL);
        TestClient a = clients.connect();
        a.lines();
        a.advance(4, SECONDS);
        assertEquals(List.of("ID 4294967294", "ID 4294967295", "ID 0", "ID 1"), a.lines());
    }

    @Test
    void counterStartingAtMaxWrapsOnTheSecondTick() {
        clients.close();
        clients = TestClients.withFirstTick(ONE_SECOND, 0xFFFF_FFFFL);
        TestClient a = clients.connect();
        a.lines();
        a.advance(2, SECONDS);
        assertEquals(List.of("ID 4294967295", "ID 0"), a.lines());
    }

    @Test
    void notWritableChannelSkipsTicksWithoutUsingNumbers() {
        TestClient slow = clients.connect(ch -> ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16)));
        TestClient other = clients.connect();
        clients.drainAll();

        // fill the slow client's outbound buffer without flushing: it is no longer writable
        slow.channel().write(new ServerEvent.Msg(9, "someone", "a line longer than the high water mark"));
        assertFalse(slow.channel().isWritable());
        slow.advance(3, SECONDS);
        other.advance(1, SECONDS);
        assertEquals(List.of("ID 0"), other.lines(), "the skipped ticks took no numbers");

        slow.channel().flush();
        assertTrue(slow.channel().isWritable());
        assertEquals(List.of("MSG 9 someone a line longer than the high water mark"), slow.lines(),
                "no tick was queued while the channel was not writable");
        slow.advance(1, SECONDS);
        assertEquals(List.of("ID 1"), slow.lines(), "ticks resume once writable");
    }

    @Test
    void ticksStopWhenTheClientLeaves() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.drainAll();
        a.send("/quit");
        assertEquals(List.of("BYE Goodbye"), a.lines());
        a.advance(5, SECONDS);
        assertEquals(List.of(), a.lines());
        b.advance(1, SECONDS);
        assertEquals(List.of("LEAVE 1 client1 logout", "CLIENTS 1", "RANK 0", "ID 0"), b.lines());
    }

    @Test
    void timerIsCancelledWhenTheConnectionClosesOnAnError() {
        TestClient a = clients.connect();
        a.lines();
        assertTrue(a.channel().runScheduledPendingTasks() > 0, "the ticker is scheduled");
        a.channel().pipeline().fireExceptionCaught(new IllegalStateException("test: unexpected"));
        a.channel().runPendingTasks();
        assertFalse(a.isOpen());
        assertEquals(-1, a.channel().runScheduledPendingTasks(), "no timer left behind");
    }

    @Test
    void timerIsCancelledWhenTheHandlerIsRemoved() {
        TestClient a = clients.connect();
        a.lines();
        a.channel().pipeline().remove(HermesPipeline.TICKER);
        a.advance(5, SECONDS);
        assertEquals(List.of(), a.lines());
        assertEquals(-1, a.channel().runScheduledPendingTasks());
    }

    @Test
    void byeIsTheLastLineAfterShutdown() {
        TestClient a = clients.connect();
        a.lines();
        clients.hub().shutdown("Thank you");
        assertEquals(List.of("BYE Thank you"), a.lines());
        a.advance(3, SECONDS);
        assertEquals(List.of(), a.lines());
        assertFalse(a.isOpen());
    }
}
