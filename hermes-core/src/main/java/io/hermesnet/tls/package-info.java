/**
 * TLS for HermesNet listeners (docs/protocol.md §6.1): {@link io.hermesnet.tls.ServerTls}, the certificate
 * and key a TLS listener serves, reloadable from disk; and {@link io.hermesnet.tls.TlsHandshakeHandler},
 * the pipeline stage behind Netty's {@code SslHandler} that admits a client only once its handshake is done.
 */
package io.hermesnet.tls;
