package io.hermesnet.server.cli;

import io.hermesnet.hub.Session;
import io.hermesnet.protocol.ServerEvent;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The client table that SIGUSR2 logs (docs/protocol.md §3.9): a count line, a header, and one row per client with
 * its id, name, rank, room ({@code -} when rooms are off), remote {@code ip:port} and the local time it
 * connected, in columns as wide as their widest cell. Pure formatting; thread-safe.
 *
 * <pre>
 * 2 clients connected
 * ID  NAME     RANK  ROOM  ADDRESS          CONNECTED SINCE
 * 1   alice    0     -     127.0.0.1:51234  2025-06-01 12:00:03
 * 2   client2  1     -     127.0.0.1:51240  2025-06-01 12:00:09
 * </pre>
 */
public final class ClientTable {
    private static final String[] HEADER = {"ID", "NAME", "RANK", "ROOM", "ADDRESS", "CONNECTED SINCE"};
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ClientTable() {
    }

    /** One client's row. {@code room} is {@link ServerEvent.WhoEntry#NO_ROOM} when rooms are off. */
    public record Row(long id, String name, int rank, long room, String address, Instant connectedSince) {
        /** The row of a connected client: a snapshot of its volatile fields. */
        public static Row of(Session s) {
            return new Row(s.id(), s.name(), s.rank(), s.roomId(), s.address(), s.connectedSince());
        }
    }

    /**
     * The lines of the table, without line terminators: the count line, then (when there is a client)
     * the header and one line per row, in the order given.
     *
     * @param zone the time zone of the {@code CONNECTED SINCE} column
     */
    public static List<String> format(List<Row> rows, ZoneId zone) {
        List<String> lines = new ArrayList<>(rows.size() + 2);
        lines.add(rows.size() == 1 ? "1 client connected" : rows.size() + " clients connected");
        if (rows.isEmpty()) {
            return lines;
        }
        List<String[]> cells = new ArrayList<>(rows.size() + 1);
        cells.add(HEADER);
        for (Row r : rows) {
            cells.add(new String[] {
                    Long.toString(r.id()),
                    r.name(),
                    Integer.toString(r.rank()),
                    r.room() == ServerEvent.WhoEntry.NO_ROOM ? "-" : Long.toString(r.room()),
                    r.address(),
                    SINCE.format(r.connectedSince().atZone(zone))});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
