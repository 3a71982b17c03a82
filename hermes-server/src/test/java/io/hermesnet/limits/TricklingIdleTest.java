package io.hermesnet.limits;

import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/protocol.md §3.11 {@code --idle-timeout} over real sockets: idle = no complete line received, so
 * clients that trickle a byte every 300 ms and never end a line are cut after the timeout, while a
 * client that sends a whole line as often stays.
 */
class TricklingIdleTest {
    private static final int TRICKLERS = 20;
    private static final long PERIOD_MS = 300;

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.tickInterval(Duration.ZERO).quiet(true).maxClients(TRICKLERS + 1).idleTimeout(Duration.ofSeconds(1)))
            .clientTimeout(Duration.ofSeconds(10))
            .build();

    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopSending() {
        sender.shutdownNow();
    }

    /** Sends {@code bytes} to {@code c} every {@link #PERIOD_MS}, until the connection fails (the exception ends the schedule). */
    private void every(LineClient c, String bytes) {
        byte[] b = bytes.getBytes(StandardCharsets.UTF_8);
        sender.scheduleAtFixedRate(() -> c.sendRaw(b), 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    @Timeout(30)
    void tricklingClientsGetByeIdleTimeoutAndATalkerStays() {
        // each starts sending as soon as it has joined: its idle clock runs from its connection on
        LineClient talker = server.join();
        every(talker, "/rank\n");
        List<LineClient> tricklers = new ArrayList<>();
        for (int i = 0; i < TRICKLERS; i++) {
            LineClient t = server.join();
            every(t, "x");
            tricklers.add(t);
        }

        int cut = 0;
        List<String> notCut = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // 1 s timeout, much slack for a loaded machine
        for (LineClient t : tricklers) {
            try {
                t.awaitClosed(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                List<String> lines = t.transcript();
                if ("BYE Idle timeout".equals(lines.get(lines.size() - 1))) {
                    cut++;
                } else {
                    notCut.add(lines.get(lines.size() - 1));
                }
            } catch (AssertionError stillOpen) {
                notCut.add("still open");
            }
        }
        assertEquals(TRICKLERS, cut, "tricklers cut with BYE Idle timeout, the others: " + notCut);
        // the talker's /rank lines are complete lines: it is still here, well past the timeout
        talker.sync();
        talker.send("/rank");
        talker.await("RANK 0");
    }
}
