package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecRegistryTest {
    private static ServerEvent.ExecRequest request(String command) {
        return new ServerEvent.ExecRequest(1, 0, "alice", command);
    }

    @Test
    void builtinsAreTheSafeSet() {
        assertEquals(List.of("echo", "help", "rank", "time", "uptime", "whoami"),
                List.copyOf(ExecRegistry.withBuiltins(Clock.systemUTC()).names()));
    }

    @Test
    void namesMustBeSingleWords() {
        ExecRegistry registry = new ExecRegistry();
        for (String bad : new String[] {"", "two words", "x".repeat(33), "semi;colon", "dollar$"}) {
            assertThrows(IllegalArgumentException.class, () -> registry.register(bad, c -> "x"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> registry.register(null, c -> "x"));
        assertTrue(registry.names().isEmpty());
    }

    @Test
    void registerReplacesAndUnregisterRemovesIgnoringCase() {
        ExecRegistry registry = new ExecRegistry();
        registry.register("Ping", c -> "one");
        registry.register("ping", c -> "two");
        assertEquals(List.of("ping"), List.copyOf(registry.names()));
        assertEquals("two", registry.answer(request("PING"), null));
        assertTrue(registry.unregister("PiNg"));
        assertFalse(registry.contains("ping"));
        assertEquals("unknown command: ping (known: )", registry.answer(request("ping"), null));
    }

    @Test
    void argumentsAreTheRestAfterTheFirstWord() {
        ExecRegistry registry = new ExecRegistry();
        registry.register("args", c -> "[" + c.command() + "|" + c.args() + "]");
        assertEquals("[args|a  b]", registry.answer(request("  ARGS\t a  b  "), null));
        assertEquals("[args|]", registry.answer(request("args"), null));
    }

    @Test
    void longResultsAreCutToTheByteLimitOnACharacterBoundary() {
        ExecRegistry registry = new ExecRegistry(16);
        registry.register("long", c -> "é".repeat(100));
        String answer = registry.answer(request("long"), null);
        assertTrue(answer.getBytes(StandardCharsets.UTF_8).length <= 16, answer);
        assertTrue(answer.endsWith("…"), answer);
        assertEquals("é".repeat(6) + "…", answer);
        registry.register("emoji", c -> "\uD83D\uDE00".repeat(10));
        String cut = registry.answer(request("emoji"), null);
        assertEquals("\uD83D\uDE00".repeat(3) + "…", cut);
    }

    @Test
    void defaultLimitKeepsTheResultLineUnderTheServersDefaultLineLimit() {
        ExecRegistry registry = new ExecRegistry();
        registry.register("big", c -> "x".repeat(10_000));
        String line = "/result 999999999999999999 " + registry.answer(request("big"), null);
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 4096, Integer.toString(line.length()));
    }

    @Test
    void durationsAreShortAndReadable() {
        assertEquals("0s", ExecRegistry.formatDuration(Duration.ZERO));
        assertEquals("59s", ExecRegistry.formatDuration(Duration.ofSeconds(59)));
        assertEquals("1m 0s", ExecRegistry.formatDuration(Duration.ofSeconds(60)));
        assertEquals("1h 0m 5s", ExecRegistry.formatDuration(Duration.ofSeconds(3605)));
        assertEquals("0s", ExecRegistry.formatDuration(Duration.ofSeconds(-5)));
    }
}
