package io.hermesnet.hub;

import io.hermesnet.protocol.LeaveReason;
import io.netty.util.AttributeKey;

/**
 * The per-channel attributes of a server connection, declared once.
 */
public final class HermesAttributes {
    /** The admitted client; absent before admission and for refused connections. */
    public static final AttributeKey<Session> SESSION = AttributeKey.valueOf(HermesAttributes.class, "session");

    /** The connection's one way out ({@link ClientConnection}); set when the channel becomes active. */
    public static final AttributeKey<ClientConnection> CONNECTION =
            AttributeKey.valueOf(HermesAttributes.class, "connection");

    /**
     * Why the connection is ending, set by the handler that closes it (logout, idle, sendq, error);
     * absent means {@link LeaveReason#CLOSED}.
     */
    public static final AttributeKey<LeaveReason> LEAVE_REASON =
            AttributeKey.valueOf(HermesAttributes.class, "leaveReason");

    private HermesAttributes() {
    }
}
