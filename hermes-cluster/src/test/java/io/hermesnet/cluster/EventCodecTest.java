package io.hermesnet.cluster;

import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.state.StateEvent;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream entry fields of the state events (docs/cluster.md "Entries"), and stream id order. */
class EventCodecTest {

    @Test
    void everyEventSurvivesItsEntryFields() {
        List<StateEvent> events = List.of(
                new StateEvent.Join("node-1", 42, "[::1]:5000", 1_796_495_312_657L),
                new StateEvent.Leave(7, LeaveReason.NODE),
                new StateEvent.Rename(7, "Zoë"),
                new StateEvent.Chat(7, "text with spaces, = signs and ünïcode"),
                new StateEvent.Exec(1, 4_000_000_000L, "uptime -p"),
                new StateEvent.Result(2, 9, ""),
                new StateEvent.ExecExpired(9),
                new StateEvent.Direct(1, "bob", "psst"),
                new StateEvent.NodeDown("node-2"));
        for (StateEvent e : events) {
            Map<String, String> fields = EventCodec.encode(e);
            assertEquals(EventCodec.TYPE, fields.keySet().iterator().next(), "type first: " + fields);
            assertEquals(e, EventCodec.decode(fields));
        }
    }

    @Test
    void aMalformedEntryIsRefusedWithWhatIsWrong() {
        Map<String, String> unknown = Map.of("type", "teleport", "client", "1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(unknown)).getMessage()
                .contains("unknown entry type teleport"));
        Map<String, String> missing = Map.of("type", "leave", "client", "1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(missing)).getMessage()
                .contains("without field reason"));
        Map<String, String> notANumber = new LinkedHashMap<>(EventCodec.encode(new StateEvent.ExecExpired(3)));
        notANumber.put("exec", "three");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(notANumber)).getMessage()
                .contains("exec is not a number"));
        Map<String, String> badReason = Map.of("type", "leave", "client", "1", "reason", "vanished");
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(badReason));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(Map.of()));
    }

    @Test
    void streamIdsCompareAsNumbersNotText() {
        assertTrue(StreamIds.compare("9-0", "10-0") < 0);
        assertTrue(StreamIds.compare("10-2", "10-10") < 0);
        assertTrue(StreamIds.compare("10-10", "10-2") > 0);
        assertEquals(0, StreamIds.compare("5-1", "5-1"));
        assertTrue(StreamIds.compare(StreamIds.ZERO, "0-1") < 0);
    }
}
