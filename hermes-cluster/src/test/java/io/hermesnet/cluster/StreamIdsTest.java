package io.hermesnet.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StreamIds}: entry ids ordered as Redis orders them, not as strings. */
class StreamIdsTest {
    @Test
    void idsCompareByMillisecondsThenBySequenceAsNumbers() {
        assertTrue(StreamIds.compare("999-0", "1000-0") < 0, "shorter is not smaller as a string");
        assertTrue(StreamIds.compare("1000-10", "1000-9") > 0);
        assertTrue(StreamIds.compare("1000-9", "1001-0") < 0);
        assertEquals(0, StreamIds.compare("1796495312657-3", "1796495312657-3"));
        assertEquals(0, StreamIds.compare(StreamIds.ZERO, "0-0"));
        assertTrue(StreamIds.compare("1000", "1000-1") < 0, "an id without a sequence is <ms>-0");
        assertEquals(0, StreamIds.compare("1000", "1000-0"));
    }

    @Test
    void somethingElseThanAnIdIsRefused() {
        assertThrows(NumberFormatException.class, () -> StreamIds.compare("abc-1", "0-0"));
        assertThrows(NumberFormatException.class, () -> StreamIds.compare("1-", "1-0"));
    }
}
