package io.hermesnet.limits;

import io.hermesnet.server.HermesServer;
import io.hermesnet.testkit.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.hermesnet.limits.TestServers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §3.11 {@code --idle-timeout}, {@code --max-rate} and {@code --max-per-ip} over real sockets. */
class ClientLimitsTest {

    @Test
    @Timeout(20)
    void anIdleClientGetsByeAndTheOthersSeeLeaveIdle() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().idleTimeout(Duration.ofMillis(1500)).build());
             LineClient other = TestServers.join(server);
             LineClient idle = TestServers.join(server)) {
            // The other client joins first, so it is there to see the LEAVE however slow the machine (with
            // the idle one first, a loaded box once cut it before the other had joined), and it stays
            // active (each /rank round trip is input), so only the idle one times out.
            String leave = "LEAVE " + idle.welcome().id() + " " + idle.welcome().name() + " idle";
            Pattern rankOrLeave = Pattern.compile("RANK \\d+|" + Pattern.quote(leave));
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean left = false;
            while (!left) {
                assertTrue(System.nanoTime() < deadline, "no '" + leave + "' in time");
                other.send("/rank");
                left = other.linesUntil(rankOrLeave, WAIT).contains(leave);
            }
            List<String> last = idle.awaitClosed();
            assertEquals("BYE Idle timeout", last.get(last.size() - 1), "BYE is the idle client's last line");
        }
    }

    @Test
    @Timeout(20)
    void aFloodIsCutToTheRateWithOneErrorPerBurstAndTheClientWorksAfterwards() throws Exception {
        try (HermesServer server = TestServers.start(TestServers.config().maxRate(5).echo(true).build());
             LineClient flooder = TestServers.join(server);
             LineClient other = TestServers.join(server)) {
            String burst = IntStream.range(0, 30).mapToObj(i -> "m" + i + "\n").collect(Collectors.joining());
            flooder.sendRaw(burst.getBytes(StandardCharsets.UTF_8)); // one write: the server reads the burst at once

            flooder.await("ERROR RATE_LIMITED .*", WAIT);
            flooder.send("after"); // read once the server resumes reading, when a token is due
            List<String> seen = flooder.linesUntil(Pattern.compile("ECHO after"), WAIT);
            assertTrue(seen.stream().noneMatch(l -> l.startsWith("ERROR ")), "one ERROR for the burst: " + seen);

            List<String> relayed = other.linesUntil(Pattern.compile(".* after"), WAIT).stream()
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
             LineClient a = TestServers.join(server);
             LineClient b = TestServers.join(server)) {
            try (LineClient refused = TestServers.client(server, o -> { })) {
                assertEquals(List.of("ERROR FULL too many connections from 127.0.0.1"), refused.awaitClosed());
            }
            a.send("/quit");
            b.await("LEAVE " + a.welcome().id() + " .*", WAIT);
            try (LineClient c = TestServers.join(server)) {
                assertEquals(b.welcome().id() + 1, c.welcome().id(), "a refused connection takes no id");
            }
        }
    }
}
