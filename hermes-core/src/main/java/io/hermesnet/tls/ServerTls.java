package io.hermesnet.tls;

import io.hermesnet.telemetry.HermesMarkers;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The certificate chain and private key a TLS listener serves (docs/protocol.md §6.1), read from two PEM
 * files and reloadable from them without dropping a connection: {@link #reload} swaps in a new Netty
 * {@link SslContext}; handshakes that start afterwards use it, established connections keep the session
 * they negotiated. An unreadable or inconsistent pair is refused and the current one kept.
 *
 * <p>Files: the certificate file holds the chain, leaf first ({@code -----BEGIN CERTIFICATE-----} blocks);
 * the key file holds one unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC. The
 * key must belong to the leaf certificate. Protocols: TLS 1.3 and TLS 1.2 only.
 *
 * <p>Provider: {@link #bestProvider()} is OpenSSL (BoringSSL through {@code netty-tcnative}) when its
 * native library loads, else the JDK's TLS; both are Netty's {@link SslContextBuilder}.
 *
 * <p>Threading: {@link #newHandler} is called from event loops and never blocks; {@link #load} and
 * {@link #reload} read files, so call them from an application thread, never from an event loop. Reloads
 * are serialized; the current context is published through a volatile field.
 */
public final class ServerTls {
    /** How long a client has to finish its handshake before it is closed: 10 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LogManager.getLogger(ServerTls.class);
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private final Path certChainFile;
    private final Path keyFile;
    private final SslProvider provider;
    private final long handshakeTimeoutMillis;
    private volatile Pair current;

    /** A loaded pair: the context built from it and its chain, for logs. */
    private record Pair(SslContext context, List<X509Certificate> chain) {
    }

    private ServerTls(Path certChainFile, Path keyFile, SslProvider provider, Duration handshakeTimeout, Pair pair) {
        this.certChainFile = certChainFile;
        this.keyFile = keyFile;
        this.provider = provider;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        this.current = pair;
    }

    /**
     * Loads a pair with {@link #bestProvider()} and {@link #DEFAULT_HANDSHAKE_TIMEOUT}.
     *
     * @throws IOException if a file cannot be read or does not hold a usable certificate chain and key
     */
    public static ServerTls load(Path certChainFile, Path keyFile) throws IOException {
        return load(certChainFile, keyFile, bestProvider(), DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Loads a pair.
     *
     * @param provider         {@link SslProvider#OPENSSL} (needs {@code netty-tcnative}) or {@link SslProvider#JDK}
     * @param handshakeTimeout longest a handshake may take before the connection is closed; positive
     * @throws IOException if a file cannot be read or does not hold a usable certificate chain and key
     *                     (the message says which and why)
     * @throws IllegalArgumentException if {@code handshakeTimeout} is not positive
     */
    public static ServerTls load(Path certChainFile, Path keyFile, SslProvider provider, Duration handshakeTimeout)
            throws IOException {
        Objects.requireNonNull(certChainFile, "certChainFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(provider, "provider");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
        ServerTls tls = new ServerTls(certChainFile, keyFile, provider, handshakeTimeout,
                read(certChainFile, keyFile, provider));
        log.info(HermesMarkers.STATE, "TLS certificate {} ({})", describe(tls.certificate()), providerName(provider));
        return tls;
    }

    /** OpenSSL when netty-tcnative's native library loads on this machine, else the JDK. */
    public static SslProvider bestProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** {@code OpenSSL <version>} or {@code JDK}, for logs and {@code -V}. */
    public static String providerName(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : OpenSsl.versionString();
    }

    /**
     * Reads the two files again and, if they hold a usable pair, makes it the one new handshakes get.
     * Logs the outcome under {@link HermesMarkers#STATE}: the new certificate, or why the files were
     * refused (the old pair stays). Blocks on file I/O: never call from an event loop.
     *
     * @return whether the new pair was taken
     */
    public synchronized boolean reload() {
        try {
            current = read(certChainFile, keyFile, provider);
            log.info(HermesMarkers.STATE, "TLS certificate reloaded: {}", describe(certificate()));
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn(HermesMarkers.STATE, "TLS reload failed, keeping certificate {}: {}", describe(certificate()),
                    e.getMessage());
            return false;
        }
    }

    /**
     * A handler for a new server-side connection, from the current pair, with the handshake timeout set.
     * Non-blocking; call from the channel's event loop (in a {@code ChannelInitializer}).
     */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.context().newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /** The current context (changes on a successful {@link #reload}). */
    public SslContext context() {
        return current.context();
    }

    /** The leaf certificate of the current pair. */
    public X509Certificate certificate() {
        return current.chain().get(0);
    }

    /** The provider every context of this instance is built on. */
    public SslProvider provider() {
        return provider;
    }

    /** The handshake timeout in milliseconds. */
    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /** The certificate chain file. */
    public Path certChainFile() {
        return certChainFile;
    }

    /** The private key file. */
    public Path keyFile() {
        return keyFile;
    }

    private static Pair read(Path certChainFile, Path keyFile, SslProvider provider) throws IOException {
        // each file read once: the context and the checks see the same bytes even while a renewal rewrites them
        List<X509Certificate> chain = readChain(certChainFile);
        PrivateKey key = readKey(keyFile, chain.get(0));
        try {
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(provider)
                    .protocols(protocols(provider))
                    .build();
            return new Pair(context, List.copyOf(chain));
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use " + certChainFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static String[] protocols(SslProvider provider) {
        return SslProvider.isTlsv13Supported(provider)
                ? new String[] {"TLSv1.3", "TLSv1.2"}
                : new String[] {"TLSv1.2"};
    }

    private static List<X509Certificate> readChain(Path file) throws IOException {
        byte[] pem = Files.readAllBytes(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no certificate in it");
        }
        return chain;
    }

    /**
     * The PKCS#8 key of {@code file}, checked to belong to {@code leaf}. Own code because the JDK reads
     * PKCS#8 DER but no PEM, and Netty's PEM reader is internal; a pair that does not match is refused
     * here, since the JDK provider would only find out in every client's failing handshake.
     */
    private static PrivateKey readKey(Path file, X509Certificate leaf) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IOException(file + ": no PKCS#8 key (-----BEGIN PRIVATE KEY-----) in it");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad base64 in the key", e);
        }
        String algorithm = leaf.getPublicKey().getAlgorithm();
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a PKCS#8 " + algorithm + " key for the certificate: " + e.getMessage(), e);
        }
        if (!belongTogether(key, leaf)) {
            throw new IOException(file + ": the key does not belong to the certificate " + describe(leaf));
        }
        return key;
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate leaf) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the key algorithm is the signature algorithm
        };
        byte[] probe = "hermes-tls-pair-check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the key against the certificate: " + e.getMessage(), e);
        }
    }

    /** Subject, serial (hex) and expiry of {@code cert}, for log lines. */
    public static String describe(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' serial " + cert.getSerialNumber().toString(16)
                + " valid until " + cert.getNotAfter().toInstant();
    }
}
