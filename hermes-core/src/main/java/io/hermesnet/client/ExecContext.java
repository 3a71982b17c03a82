package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;

import java.util.Objects;

/**
 * What an {@link ExecCommand} gets: the EXEC request, the command word it was looked up by, the
 * arguments after it, and this client's {@link ClientState}.
 *
 * @param request the {@code EXEC <execId> <fromRank> <fromName> <command>} line as received
 * @param command the first word of the request's command, in lower case (the registry key)
 * @param args    the rest of the command after the first word, stripped; empty when there is none
 * @param client  this client's state on the connection the EXEC came on
 */
public record ExecContext(ServerEvent.ExecRequest request, String command, String args, ClientState client) {
    public ExecContext {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(client, "client");
    }

    /** The name of the client that sent the EXEC. */
    public String fromName() {
        return request.fromName();
    }

    /** The rank of the client that sent the EXEC (a smaller number than this client's rank). */
    public int fromRank() {
        return request.fromRank();
    }
}
