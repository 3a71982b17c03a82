package io.hermesnet.server.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientTableTest {

    @Test
    void oneAlignedRowPerClientWithDashForNoRoom() {
        List<ClientTable.Row> rows = List.of(
                new ClientTable.Row(1, "alice", 0, 0, "127.0.0.1:51234", Instant.parse("2025-06-01T12:00:03.456Z")),
                new ClientTable.Row(12, "client12", 1, 0, "10.0.0.7:40000", Instant.parse("2025-06-01T12:00:09Z")));

        assertEquals(List.of(
                "2 clients connected",
                "ID  NAME      RANK  ROOM  ADDRESS          CONNECTED SINCE",
                "1   alice     0     -     127.0.0.1:51234  2025-06-01 12:00:03",
                "12  client12  1     -     10.0.0.7:40000   2025-06-01 12:00:09"),
                ClientTable.format(rows, ZoneOffset.UTC));
    }

    @Test
    void roomIdsAndTheZoneOfTheTimes() {
        List<ClientTable.Row> rows = List.of(
                new ClientTable.Row(3, "bob", 0, 2, "127.0.0.1:1", Instant.parse("2025-06-01T23:30:00Z")));

        assertEquals(List.of(
                "1 client connected",
                "ID  NAME  RANK  ROOM  ADDRESS      CONNECTED SINCE",
                "3   bob   0     2     127.0.0.1:1  2025-06-02 01:30:00"),
                ClientTable.format(rows, ZoneOffset.ofHours(2)));
    }

    @Test
    void noClientsIsJustTheCount() {
        assertEquals(List.of("0 clients connected"), ClientTable.format(List.of(), ZoneOffset.UTC));
    }
}
