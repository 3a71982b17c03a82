package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ExecResponder} in the real client pipeline: EXEC lines in, {@code /result} lines out. */
class ExecResponderTest {
    private final RecordingListener listener = new RecordingListener();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:30:45.678Z"), ZoneId.of("UTC"));
    private ExecRegistry registry;
    private EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        registry = ExecRegistry.withBuiltins(clock);
        ch = new EmbeddedChannel(new HermesClientPipeline(listener, registry).initializer());
        feed("WELCOME 3 client3 2 Welcome to HermesNet!\r\n");
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private void feed(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** The answer the client sends to {@code EXEC <id> 0 alice <command>}. */
    private String exec(long id, String command) {
        feed("EXEC " + id + " 0 alice " + command + "\r\n");
        ByteBuf buf = ch.readOutbound();
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void echoAnswersWithItsArguments() {
        assertEquals("/result 7 hi there\n", exec(7, "echo hi there"));
        assertNull(ch.readOutbound());
    }

    @Test
    void listenerSeesTheRequestAndTheAnswer() {
        exec(7, "echo hi");
        ServerEvent.ExecRequest request = new ServerEvent.ExecRequest(7, 0, "alice", "echo hi");
        assertEquals(request, listener.events.get(listener.events.size() - 1));
        assertEquals(List.of(new ExecAnswered(request, "hi")), listener.answered);
    }

    @Test
    void emptyEchoSendsAResultWithoutText() {
        assertEquals("/result 8\n", exec(8, "echo"));
    }

    @Test
    void whoamiAndRankFollowTheServer() {
        assertEquals("/result 1 client3\n", exec(1, "whoami"));
        assertEquals("/result 2 2\n", exec(2, "rank"));
        feed("NAME bob\r\nRANK 1\r\n");
        assertEquals("/result 3 bob\n", exec(3, "whoami"));
        assertEquals("/result 4 1\n", exec(4, "rank"));
    }

    @Test
    void timeIsTheClocksLocalTimeToTheSecond() {
        assertEquals("/result 5 2025-01-15T10:30:45Z\n", exec(5, "time"));
    }

    @Test
    void uptimeCountsFromTheRegistrysCreation() {
        assertEquals("/result 5 up 0s\n", exec(5, "uptime"));
        clock.advance(Duration.ofHours(1).plusMinutes(2).plusSeconds(3));
        assertEquals("/result 6 up 1h 2m 3s\n", exec(6, "uptime"));
        clock.advance(Duration.ofDays(2));
        assertEquals("/result 7 up 2d 1h 2m 3s\n", exec(7, "uptime"));
    }

    @Test
    void helpListsEveryCommandIncludingOnesAddedLater() {
        assertEquals("/result 9 commands: echo help rank time uptime whoami\n", exec(9, "help"));
        registry.register("greet", c -> "hello " + c.fromName());
        assertEquals("/result 10 commands: echo greet help rank time uptime whoami\n", exec(10, "help"));
        assertEquals("/result 11 hello alice\n", exec(11, "greet"));
    }

    @Test
    void unknownCommandIsAnsweredAsUnknown() {
        assertEquals("/result 12 unknown command: rm (known: echo help rank time uptime whoami)\n", exec(12, "rm -rf /"));
        assertEquals("/result 13 unknown command: $(reboot) (known: echo help rank time uptime whoami)\n",
                exec(13, "$(reboot)"));
    }

    @Test
    void commandNamesIgnoreCase() {
        assertEquals("/result 14 Hi There\n", exec(14, "ECHO Hi There"));
    }

    @Test
    void aFailingCommandIsAnsweredAndTheConnectionStays() {
        registry.register("boom", c -> {
            throw new IllegalStateException("nope");
        });
        assertEquals("/result 15 boom failed: nope\n", exec(15, "boom"));
        assertTrue(ch.isActive());
    }

    @Test
    void aMultiLineResultIsSentAsOneLineWithoutControlCharacters() {
        registry.register("lines", c -> "a\nb\r\nc\u001b[2J\u0085d");
        assertEquals("/result 16 a | b | c[2Jd\n", exec(16, "lines"));
    }

    @Test
    void nullResultIsEmpty() {
        registry.register("nothing", c -> null);
        assertEquals("/result 17\n", exec(17, "nothing"));
    }

    @Test
    void withoutRegistryExecIsLeftToTheListener() {
        RecordingListener own = new RecordingListener();
        EmbeddedChannel plain = new EmbeddedChannel(new HermesClientPipeline(own, null).initializer());
        try {
            plain.writeInbound(Unpooled.copiedBuffer("EXEC 1 0 alice echo hi\r\n", StandardCharsets.UTF_8));
            assertNull(plain.readOutbound());
            assertEquals(List.of(new ServerEvent.ExecRequest(1, 0, "alice", "echo hi")), own.events);
            assertTrue(own.answered.isEmpty());
        } finally {
            plain.finishAndReleaseAll();
        }
    }
}
