/**
 * Browsers as HermesNet clients (docs/protocol.md §6.3): the chat page and the WebSocket endpoint of a
 * {@code --http-port} listener, on Netty's HTTP and WebSocket codecs.
 *
 * <p>A WebSocket client is one more framing of the same client connection: once the upgrade is done,
 * {@link io.hermesnet.websocket.TextFrameDecoder} turns each text frame into the bytes of its lines and
 * {@link io.hermesnet.websocket.TextFrameEncoder} turns each outbound batch of CRLF lines into one text
 * frame per line, and between them run the very line stages a TCP client has
 * ({@code HermesPipeline#addLineStages}), so every limit and behaviour of docs/protocol.md §2–§3 holds.
 * Both adapters are public so that an embedder can put them into a pipeline of its own.
 */
package io.hermesnet.websocket;
