package io.hermesnet.client.cli;

import io.hermesnet.protocol.Names;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserNamesTest {
    @Test
    void osNamesBecomeValidNames() {
        assertEquals("alice", UserNames.fromOs("alice"));
        assertEquals("john_doe", UserNames.fromOs("john.doe"));
        assertEquals("Jos_", UserNames.fromOs("José"));
        assertEquals("DOMAIN_bob", UserNames.fromOs("DOMAIN\\bob"));
        assertEquals("u-client12", UserNames.fromOs("client12"));
        assertEquals("user", UserNames.fromOs(null));
        assertEquals("user", UserNames.fromOs(""));
        assertEquals("user", UserNames.fromOs("..."));
        String longName = UserNames.fromOs("x".repeat(50));
        assertEquals(Names.MAX_LENGTH, longName.length());
        for (String os : new String[] {"a b", "ünïcødé", "client" + "9".repeat(40), "root", "$(whoami)"}) {
            String name = UserNames.fromOs(os);
            assertTrue(Names.isWellFormed(name), os + " -> " + name);
            assertFalse(Names.isReserved(name), os + " -> " + name);
        }
    }
}
