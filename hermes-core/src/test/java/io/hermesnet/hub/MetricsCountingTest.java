package io.hermesnet.hub;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.telemetry.HermesMetrics.ExecOutcome;
import io.hermesnet.telemetry.HermesMetrics.Rejection;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The counting hooks through the real pipeline ({@link HermesPipeline}): what a hub with
 * {@link HermesCounters} counts when clients join, chat, err, EXEC and leave.
 */
class MetricsCountingTest {
    private final HermesCounters counters = new HermesCounters();
    private final TestClients clients = new TestClients(new HermesHub(TestClients.quietConfig().maxClients(3).build(),
            Clock.systemUTC(), 0, UnpooledByteBufAllocator.DEFAULT, counters));
    private long linesSeen;
    private long bytesSeen;

    @AfterEach
    void release() {
        clients.close();
    }

    /** Reads every client's lines and adds them to what the clients have seen. */
    private void read(TestClient... cs) {
        for (TestClient c : cs) {
            List<String> lines = c.lines();
            linesSeen += lines.size();
            for (String l : lines) {
                bytesSeen += l.getBytes(StandardCharsets.UTF_8).length + 2; // CRLF
            }
        }
    }

    @Test
    void everyLineAndByteEitherWayIsCounted() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        read(a, b);
        assertEquals(2, counters.connectionsAccepted());

        a.send("hello there");
        a.send("/bogus");
        read(a, b);
        assertEquals(2, counters.linesReceived());
        assertEquals("hello there\n/bogus\n".length(), counters.bytesIn());
        assertEquals(1, counters.errors(ErrorCode.UNKNOWN_COMMAND));
        assertEquals(linesSeen, counters.linesDelivered(), "WELCOME, JOIN, CLIENTS, MSG and ERROR lines");
        assertEquals(bytesSeen, counters.bytesOut());
    }

    @Test
    void anOverlongLineIsAnErrorNotAReceivedLine() {
        TestClient a = clients.connect();
        a.send("x".repeat(HermesConfig.DEFAULT_MAX_LINE_BYTES + 1));
        a.send("/rank");
        assertEquals(List.of("WELCOME 1 client1 0 Welcome to HermesNet!", "CLIENTS 1",
                "ERROR LINE_TOO_LONG line longer than the limit was discarded", "RANK 0"), a.lines());
        assertEquals(1, counters.linesReceived());
        assertEquals(1, counters.errors(ErrorCode.LINE_TOO_LONG));
    }

    @Test
    void execOutcomesAreCounted() {
        TestClient a = clients.connect(); // rank 0
        TestClient b = clients.connect(); // rank 1
        a.send("/exec 1 echo hi");        // EXEC 1
        b.send("/exec 0 echo no");
        a.send("/exec 7 echo none");
        b.send("/result 1 hi");
        a.send("/exec 1 uptime");         // EXEC 2, never answered: b leaves
        b.disconnect();
        assertEquals(2, counters.execs(ExecOutcome.ALLOWED));
        assertEquals(1, counters.execs(ExecOutcome.FORBIDDEN));
        assertEquals(1, counters.execs(ExecOutcome.NO_SUCH_RANK));
        assertEquals(1, counters.execs(ExecOutcome.ANSWERED));
        assertEquals(1, counters.execs(ExecOutcome.NO_ANSWER));
        assertEquals(1, counters.errors(ErrorCode.FORBIDDEN));
        assertEquals(1, counters.errors(ErrorCode.NO_SUCH_RANK));
    }

    @Test
    void disconnectsByReasonAndRejections() {
        TestClient a = clients.connect();
        TestClient b = clients.connect();
        clients.connect();
        TestClient refused = clients.connect(); // maxClients 3
        assertEquals(List.of("ERROR FULL server is full (3/3)"), refused.lines());
        assertEquals(1, counters.connectionsRejected(Rejection.FULL));
        assertEquals(1, counters.errors(ErrorCode.FULL));
        assertEquals(3, counters.connectionsAccepted());

        a.send("/quit");
        b.disconnect();
        assertEquals(1, counters.disconnects(LeaveReason.LOGOUT));
        assertEquals(1, counters.disconnects(LeaveReason.CLOSED));
        assertEquals(0, counters.disconnects(LeaveReason.SENDQ));
    }

    @Test
    void aHubWithoutMetricsHasNoCountingStage() {
        TestClients plain = new TestClients(TestClients.quietConfig().build());
        try {
            assertNull(plain.connect().channel().pipeline().get(HermesPipeline.TRAFFIC));
            assertNotNull(clients.connect().channel().pipeline().get(HermesPipeline.TRAFFIC));
        } finally {
            plain.close();
        }
    }
}
