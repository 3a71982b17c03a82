package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §3.11 {@code --idle-timeout}, {@code --max-rate} and {@code --max-per-ip} over real sockets. */
class ClientLimitsTest {

    @Test
    @Timeout(20)
    void anIdleClientGetsByeAndTheOthersSeeLeaveIdle() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(1500)).build());
             RawClient other = RawClient.join(server.localAddress().getPort());
             RawClient idle = RawClient.join(server.localAddress().getPort())) {
            // The other client joins first, so it is there to see the LEAVE however slow the machine (with
            // the idle one first, a loaded box once cut it before the other had joined), and it stays
            // active (each /rank round trip is input), so only the idle one times out.
            String leave = "LEAVE " + idle.id + " " + idle.name + " idle";
            long deadline = System.nanoTime() + RawClient.WAIT.toNanos();
            boolean left = false;
            while (!left) {
                assertTrue(System.nanoTime() < deadline, "no '" + leave + "' in time");
                other.send("/rank\n");
                left = other.until(l -> l.startsWith("RANK ") || l.equals(leave), RawClient.WAIT).contains(leave);
            }
            List<String> last = idle.awaitEof();
            assertEquals("BYE Idle timeout", last.get(last.size() - 1), "BYE is the idle client's last line");
        }
    }

    @Test
    @Timeout(20)
    void aFloodIsCutToTheRateWithOneErrorPerBurstAndTheClientWorksAfterwards() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxRate(5).echo(true).build());
             RawClient flooder = RawClient.join(server.localAddress().getPort());
             RawClient other = RawClient.join(server.localAddress().getPort())) {
            String burst = IntStream.range(0, 30).mapToObj(i -> "m" + i + "\n").collect(Collectors.joining());
            flooder.send(burst); // one write: the server reads the burst at once

            flooder.await(l -> l.startsWith("ERROR RATE_LIMITED "), RawClient.WAIT);
            flooder.send("after\n"); // read once the server resumes reading, when a token is due
            List<String> seen = flooder.until("ECHO after"::equals, RawClient.WAIT);
            assertTrue(seen.stream().noneMatch(l -> l.startsWith("ERROR ")), "one ERROR for the burst: " + seen);

            List<String> relayed = other.until(l -> l.endsWith(" after"), RawClient.WAIT).stream()
                    .filter(l -> l.startsWith("MSG ")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .collect(Collectors.toList());
            int accepted = relayed.size() - 1;
            assertTrue(accepted >= 5 && accepted < 10, "about 5 of 30 lines pass the bucket: " + relayed);
            for (int i = 0; i < accepted; i++) {
                assertEquals("m" + i, relayed.get(i), "the first lines pass, the rest are dropped: " + relayed);
            }
        }
    }

    @Test
    @Timeout(20)
    void connectionsPerIpAreCapped() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxPerIp(2).build());
             RawClient a = RawClient.join(server.localAddress().getPort());
             RawClient b = RawClient.join(server.localAddress().getPort())) {
            int port = server.localAddress().getPort();
            try (RawClient refused = RawClient.connect(port, 0, true, l -> true)) {
                assertEquals(List.of("ERROR FULL too many connections from 127.0.0.1"), refused.awaitEof());
            }
            a.send("/quit\n");
            b.await(l -> l.startsWith("LEAVE " + a.id + " "), RawClient.WAIT);
            try (RawClient c = RawClient.join(port)) {
                assertEquals(b.id + 1, c.id, "a refused connection takes no id");
            }
        }
    }
}
