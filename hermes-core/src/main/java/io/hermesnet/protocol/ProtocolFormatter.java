package io.hermesnet.protocol;

/**
 * Formats every {@link ServerEvent} as its wire line (docs/protocol.md §2), without the line terminator. This is
 * the one place server lines are spelled; {@link ProtocolParser#parseEvent} reads them back.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtocolFormatter {
    private ProtocolFormatter() {
    }

    /** The wire line of {@code event}, without CRLF. */
    public static String format(ServerEvent event) {
        // Most frequent first: the fan-out and tick paths format MSG and ID lines.
        if (event instanceof ServerEvent.Msg e) {
            return withText("MSG " + e.id() + ' ' + e.name(), e.text());
        } else if (event instanceof ServerEvent.IdTick e) {
            return "ID " + e.value();
        } else if (event instanceof ServerEvent.Echo e) {
            return withText("ECHO", e.text());
        } else if (event instanceof ServerEvent.Clients e) {
            return "CLIENTS " + e.count();
        } else if (event instanceof ServerEvent.Join e) {
            return "JOIN " + e.id() + ' ' + e.name();
        } else if (event instanceof ServerEvent.Leave e) {
            return "LEAVE " + e.id() + ' ' + e.name() + ' ' + e.reason().wire();
        } else if (event instanceof ServerEvent.Welcome e) {
            return withText("WELCOME " + e.id() + ' ' + e.name() + ' ' + e.rank(), e.text());
        } else if (event instanceof ServerEvent.Rank e) {
            return "RANK " + e.rank();
        } else if (event instanceof ServerEvent.Name e) {
            return "NAME " + e.name();
        } else if (event instanceof ServerEvent.Rename e) {
            return "RENAME " + e.id() + ' ' + e.oldName() + ' ' + e.newName();
        } else if (event instanceof ServerEvent.WhoEntry e) {
            String room = e.room() == ServerEvent.WhoEntry.NO_ROOM ? "-" : Long.toString(e.room());
            return "WHO " + e.id() + ' ' + e.name() + ' ' + e.rank() + ' ' + room + ' ' + e.address();
        } else if (event instanceof ServerEvent.WhoEnd e) {
            return "END WHO " + e.count();
        } else if (event instanceof ServerEvent.ExecRequest e) {
            return withText("EXEC " + e.execId() + ' ' + e.fromRank() + ' ' + e.fromName(), e.command());
        } else if (event instanceof ServerEvent.ExecAccepted e) {
            return "OK EXEC " + e.execId() + ' ' + e.targetRank() + ' ' + e.targetName();
        } else if (event instanceof ServerEvent.ExecResult e) {
            return withText("RESULT " + e.execId() + ' ' + e.fromName(), e.text());
        } else if (event instanceof ServerEvent.RoomWaiting e) {
            return "ROOM " + e.roomId() + " WAITING";
        } else if (event instanceof ServerEvent.RoomReady e) {
            return "ROOM " + e.roomId() + " READY " + String.join(" ", e.names());
        } else if (event instanceof ServerEvent.Turn e) {
            return e.write() ? "TURN WRITE" : "TURN READ";
        } else if (event instanceof ServerEvent.Dm e) {
            return withText("DM " + e.id() + ' ' + e.name(), e.text());
        } else if (event instanceof ServerEvent.HelpEntry e) {
            return withText("HELP " + e.command(), e.text());
        } else if (event instanceof ServerEvent.HelpEnd e) {
            return "END HELP " + e.count();
        } else if (event instanceof ServerEvent.Error e) {
            return withText("ERROR " + e.code().name(), e.text());
        } else if (event instanceof ServerEvent.Bye e) {
            return withText("BYE", e.text());
        } else if (event instanceof ServerEvent.Unparsed e) {
            return e.line();
        }
        throw new IllegalArgumentException("unknown event type: " + event.getClass().getName());
    }

    private static String withText(String head, String text) {
        return text.isEmpty() ? head : head + ' ' + text;
    }
}
