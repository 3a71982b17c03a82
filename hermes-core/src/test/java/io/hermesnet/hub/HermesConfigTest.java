package io.hermesnet.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HermesConfig}: the docs/protocol.md §4 defaults and validation. */
class HermesConfigTest {

    @Test
    void defaultsAreThoseOfSpec4() {
        HermesConfig d = HermesConfig.DEFAULT;
        assertEquals(6, d.maxClients());
        assertEquals(Duration.ofSeconds(1), d.tickInterval());
        assertEquals(0, d.roomSize());
        assertFalse(d.roomsEnabled());
        assertFalse(d.turns());
        assertFalse(d.echo());
        assertEquals(4096, d.maxLineBytes());
        assertEquals(1024 * 1024, d.maxPendingBytes());
        assertEquals(Duration.ofSeconds(10), d.writeTimeout());
        assertEquals(Duration.ZERO, d.idleTimeout());
        assertEquals(0, d.maxRate());
        assertEquals(0, d.maxPerIp());
        assertEquals(Duration.ofSeconds(5), d.shutdownTimeout());
        assertFalse(d.quiet());
        assertEquals("Welcome to HermesNet!", d.welcomeText());
        assertEquals(d, HermesConfig.builder().build());
    }

    @Test
    void toBuilderKeepsEveryValue() {
        HermesConfig c = HermesConfig.builder().maxClients(9).tickInterval(Duration.ofMillis(250)).roomSize(3).turns(true)
                .echo(true).maxLineBytes(100).maxPendingBytes(2048).writeTimeout(Duration.ofSeconds(3))
                .idleTimeout(Duration.ofMinutes(1)).maxRate(5).maxPerIp(2).shutdownTimeout(Duration.ofMillis(500))
                .quiet(true).welcomeText("hi").build();
        assertEquals(c, c.toBuilder().build());
        assertTrue(c.roomsEnabled());
        assertEquals(7, c.toBuilder().maxClients(7).build().maxClients());
    }

    @Test
    void offValuesAreAccepted() {
        HermesConfig c = HermesConfig.builder().tickInterval(Duration.ZERO).writeTimeout(Duration.ZERO)
                .idleTimeout(Duration.ZERO).shutdownTimeout(Duration.ZERO).maxRate(0).maxPerIp(0).roomSize(0).build();
        assertEquals(Duration.ZERO, c.tickInterval());
        assertEquals(2, HermesConfig.builder().roomSize(2).turns(true).build().roomSize());
        assertEquals(1, HermesConfig.builder().maxClients(1).maxLineBytes(1).maxPendingBytes(1).build().maxClients());
    }

    private static void rejects(String why, UnaryOperator<HermesConfig.Builder> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.apply(HermesConfig.builder()).build());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejected() {
        rejects("maxClients", b -> b.maxClients(0));
        rejects("maxClients", b -> b.maxClients(-1));
        rejects("roomSize", b -> b.roomSize(1));
        rejects("roomSize", b -> b.roomSize(-2));
        rejects("turns", b -> b.turns(true));
        rejects("maxLineBytes", b -> b.maxLineBytes(0));
        rejects("maxPendingBytes", b -> b.maxPendingBytes(0));
        rejects("maxRate", b -> b.maxRate(-1));
        rejects("maxPerIp", b -> b.maxPerIp(-1));
        rejects("negative", b -> b.tickInterval(Duration.ofMillis(-1)));
        rejects("negative", b -> b.writeTimeout(Duration.ofSeconds(-1)));
        rejects("negative", b -> b.idleTimeout(Duration.ofSeconds(-1)));
        rejects("negative", b -> b.shutdownTimeout(Duration.ofNanos(-1)));
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> HermesConfig.builder().tickInterval(null).build());
        assertThrows(NullPointerException.class, () -> HermesConfig.builder().writeTimeout(null).build());
        assertThrows(NullPointerException.class, () -> HermesConfig.builder().idleTimeout(null).build());
        assertThrows(NullPointerException.class, () -> HermesConfig.builder().shutdownTimeout(null).build());
        assertThrows(NullPointerException.class, () -> HermesConfig.builder().welcomeText(null).build());
    }
}
