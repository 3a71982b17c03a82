package io.hermesnet.client.cli;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * The client side of {@code hermes-client --tls} (docs/protocol.md §6.1): a Netty client {@link SslContext}
 * on the JDK's TLS, TLS 1.2/1.3, that checks the server's certificate chain against the JDK trust store or
 * a {@code --ca} file and its host name as HTTPS does ({@code endpointIdentificationAlgorithm "HTTPS"};
 * the handler must be made with the host the user typed). {@code --insecure} checks neither.
 */
final class ClientTls {
    private ClientTls() {
    }

    /**
     * The context for one run of the client.
     *
     * @param ca       PEM file of the certificates to trust instead of the JDK trust store, or {@code null}
     * @param insecure accept any certificate for any name
     * @throws SSLException if {@code ca} cannot be read or holds no certificate
     */
    static SslContext context(Path ca, boolean insecure) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2");
        if (insecure) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (ca != null) {
                b.trustManager(ca.toFile());
            }
            b.endpointIdentificationAlgorithm("HTTPS");
        }
        return b.build();
    }
}
