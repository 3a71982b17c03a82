package io.hermesnet.tools.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkerLineTest {

    private static String line(MarkerLine m, int publisher, long seq, long nanos) {
        byte[] out = new byte[3 + m.maxLineBytes() + 3];
        int end = m.write(out, 3, publisher, seq, nanos);
        return new String(out, 3, end - 3, StandardCharsets.US_ASCII);
    }

    private static MarkerLine.Fields parse(MarkerLine m, String payload) {
        byte[] line = ("MSG 1 a " + payload + "\r\n").getBytes(StandardCharsets.US_ASCII);
        MarkerLine.Fields f = new MarkerLine.Fields();
        return m.parse(line, 8, line.length - 2, f) ? f : null;
    }

    @Test
    void linesArePaddedToThePayloadSizeWithoutSpaces() {
        MarkerLine m = new MarkerLine(0xcafe, 64);
        String line = line(m, 3, 42, 123_456_789L);

        assertEquals("HLd|0000cafe|3|42|123456789|" + "x".repeat(64 - 28) + "\n", line);
        assertEquals(65, line.length());
        assertTrue(m.maxLineBytes() >= line.length());
    }

    @Test
    void aSmallPayloadGivesTheMarkerAlone() {
        MarkerLine m = new MarkerLine(1, 10);
        String line = line(m, 0, Long.MAX_VALUE, -5);

        assertEquals("HLd|00000001|0|9223372036854775807|-5|\n", line);
        assertTrue(m.maxLineBytes() >= line.length());
    }

    @Test
    void parseReadsWhatWriteWrote() {
        MarkerLine m = new MarkerLine(-1, 100);
        String payload = line(m, 12, 987_654_321_012L, -42).strip();

        MarkerLine.Fields f = parse(m, payload);
        assertEquals(12, f.publisher);
        assertEquals(987_654_321_012L, f.seq);
        assertEquals(-42, f.nanos);

        MarkerLine.Fields min = parse(m, line(m, 0, 0, Long.MIN_VALUE).strip());
        assertEquals(Long.MIN_VALUE, min.nanos);
    }

    @Test
    void linesOfAnotherRunOrOtherChatAreNotMarkers() {
        MarkerLine mine = new MarkerLine(1, 64);
        MarkerLine theirs = new MarkerLine(2, 64);

        assertEquals(null, parse(mine, line(theirs, 0, 1, 1).strip()));
        assertEquals(null, parse(mine, "hello there"));
        assertEquals(null, parse(mine, "HLd|00000001|x|1|1|"));
        assertEquals(null, parse(mine, "HLd|00000001|0|1|1")); // cut short: no closing separator
        assertEquals(null, parse(mine, "HLd|00000001|0||1|"));
        assertFalse(parse(mine, "HLd|00000001|0|1|1|") == null);
        assertEquals(null, parse(mine, "HLd|00000001|99999999999|1|1|")); // publisher beyond an int
    }
}
