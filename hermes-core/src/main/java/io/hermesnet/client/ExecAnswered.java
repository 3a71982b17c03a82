package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;

import java.util.Objects;

/**
 * The user event ({@code fireUserEventTriggered}) that {@link ExecResponder} fires after it has sent
 * {@code /result <execId> <result>} for {@code request}; {@link ClientEventHandler} turns it into
 * {@link ClientListener#onExecAnswered}.
 *
 * @param request the EXEC that was answered
 * @param result  the one-line text that was sent, possibly empty
 */
public record ExecAnswered(ServerEvent.ExecRequest request, String result) {
    public ExecAnswered {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(result, "result");
    }
}
