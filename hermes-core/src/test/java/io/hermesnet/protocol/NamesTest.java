package io.hermesnet.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Names}: the {@code /nick} rules of docs/protocol.md §2. */
class NamesTest {

    @Test
    void defaultNameIsClientAndTheId() {
        assertEquals("client1", Names.defaultName(1));
        assertEquals("client4294967296", Names.defaultName(4_294_967_296L));
        assertTrue(Names.isWellFormed(Names.defaultName(123)));
        assertTrue(Names.isReserved(Names.defaultName(123)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "_", "-", "bob", "Bob_the-2nd", "client", "abcdefghijklmnopqrstuvwxyz012345"})
    void wellFormed(String name) {
        assertTrue(Names.isWellFormed(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "bob smith", "bob.", "bób", "b\tb", "b\u001bb", "😀", "abcdefghijklmnopqrstuvwxyz0123456"})
    void notWellFormed(String name) {
        assertFalse(Names.isWellFormed(name), name);
    }

    @Test
    void lengthLimitIs32Characters() {
        assertEquals(32, Names.MAX_LENGTH);
        assertTrue(Names.isWellFormed("x".repeat(32)));
        assertFalse(Names.isWellFormed("x".repeat(33)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client0", "client1", "CLIENT7", "Client42", "cLiEnT999999999999999999999999"})
    void reserved(String name) {
        assertTrue(Names.isReserved(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "clients", "client1x", "client-1", "xclient1", "clien1", "bob", ""})
    void notReserved(String name) {
        assertFalse(Names.isReserved(name), name);
    }

    @Test
    void keyIgnoresCase() {
        assertEquals(Names.key("Bob"), Names.key("bOB"));
        assertEquals("bob_-1", Names.key("BoB_-1"));
    }
}
