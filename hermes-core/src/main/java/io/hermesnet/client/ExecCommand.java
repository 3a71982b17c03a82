package io.hermesnet.client;

/**
 * One named command that this client runs when another client EXECs it (docs/protocol.md §3.6), registered in an
 * {@link ExecRegistry}. It computes an answer from its arguments and context; it is never a shell and
 * must never hand its arguments to anything that executes them.
 *
 * <p>Threading: runs on the connection's event loop, so it must return quickly and never block.
 */
@FunctionalInterface
public interface ExecCommand {

    /**
     * Computes the answer.
     *
     * @return the result text; {@link ExecRegistry} makes it one line (line breaks become {@code " | "},
     *         control characters are removed) and cuts it to the registry's byte limit; {@code null} is
     *         sent as an empty result
     * @throws Exception for a failure; the issuer then gets a result saying the command failed
     */
    String run(ExecContext context) throws Exception;
}
