/**
 * The client side of HermesNet as a library: {@link io.hermesnet.client.HermesClientPipeline} builds the
 * pipeline of one connection to a HermesNet server (line framing, strict UTF-8,
 * {@link io.hermesnet.protocol.ServerEvent} decoding, outgoing lines), {@link io.hermesnet.client.ClientListener}
 * receives the decoded events, {@link io.hermesnet.client.ClientState} tracks what the server said about this
 * client, and {@link io.hermesnet.client.ExecRegistry} with {@link io.hermesnet.client.ExecResponder} answers
 * EXEC requests (docs/protocol.md §3.6) from named commands that the application registers.
 *
 * <p>The {@code hermes-client} app is built on this package; so can other clients, bots and tests.
 */
package io.hermesnet.client;
