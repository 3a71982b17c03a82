package io.hermesnet.codec;

import io.hermesnet.protocol.ErrorCode;
import io.netty.handler.codec.DecoderException;

/**
 * A line the codec refused: fired through {@code exceptionCaught} so the pipeline's error handler can
 * answer it with {@code ERROR <code> <text>} and keep the connection open. Being a
 * {@link DecoderException}, Netty's decoders pass it on unwrapped.
 */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** A refusal with the wire {@code code} and the human-readable {@code text}. */
    public ProtocolException(ErrorCode code, String text) {
        super(text);
        this.code = code;
    }

    /** The code for the {@code ERROR} line. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Expected, frequent and caused by peers: a stack trace would cost more than it tells.
        return this;
    }
}
