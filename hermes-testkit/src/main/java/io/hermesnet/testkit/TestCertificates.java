package io.hermesnet.testkit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for TLS tests, made at test time (never committed keys), with BouncyCastle: one test
 * certificate authority per instance and server certificates it signs, written as PEM files (the
 * certificate and an unencrypted PKCS#8 key, the format {@code hermes-server --tls-cert/--tls-key} reads).
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);     // a CA: certs.caFile()
 * TestCertificates.Issued server = certs.issue("server");         // CN server, SAN 127.0.0.1 and localhost
 * ServerTls tls = ServerTls.load(server.certFile(), server.keyFile());
 * LineClient c = LineClient.builder(address).tls(certs.clientContext()).connect();
 * }</pre>
 *
 * <p>Needs {@code org.bouncycastle:bcpkix-jdk18on} on the test class path (an optional dependency of
 * the testkit). Keys are EC P-256 unless {@link KeyType#RSA} is asked for. Every certificate gets a new
 * serial number. Thread-safe.
 */
public final class TestCertificates {
    /** The key algorithm of an issued certificate. */
    public enum KeyType {
        /** EC P-256 with SHA256withECDSA: fast to make. */
        EC,
        /** RSA 2048 with SHA256withRSA. */
        RSA
    }

    /**
     * A certificate and its key on disk.
     *
     * @param certFile    PEM certificate, leaf first, then the CA
     * @param keyFile     PEM PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----})
     * @param certificate the leaf certificate
     */
    public record Issued(Path certFile, Path keyFile, X509Certificate certificate) {
    }

    /** The host names and addresses a server certificate names by default. */
    public static final List<String> LOCAL_HOSTS = List.of("127.0.0.1", "localhost");

    private static final Duration VALIDITY = Duration.ofDays(2);

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;
    private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca, Path caFile) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
        this.caFile = caFile;
    }

    /**
     * Makes a new certificate authority ({@code CN=HermesNet Test CA}) and writes it to {@code dir/ca.crt}.
     *
     * @throws UncheckedIOException if the directory cannot be written
     */
    public static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = newKeys(KeyType.EC);
            X500Name name = new X500Name("CN=HermesNet Test CA");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(b, keys, KeyType.EC);
            Path caFile = dir.resolve("ca.crt");
            writePem(caFile, List.of(ca));
            return new TestCertificates(dir, keys, ca, caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA certificate. */
    public X509Certificate ca() {
        return ca;
    }

    /** The PEM file of the CA certificate, for {@code hermes-client --ca FILE}. */
    public Path caFile() {
        return caFile;
    }

    /** {@link #issue(String, KeyType, List)} for {@link #LOCAL_HOSTS} with an EC key. */
    public Issued issue(String name) {
        return issue(name, KeyType.EC, LOCAL_HOSTS);
    }

    /**
     * Makes a server certificate {@code CN=name} signed by this CA, valid now, with the subject
     * alternative names {@code hosts} (IP addresses become IP entries, the rest DNS entries), and writes
     * {@code dir/name.crt} (leaf and CA) and {@code dir/name.key}, replacing earlier files of that name.
     *
     * @throws UncheckedIOException if the files cannot be written
     */
    public Issued issue(String name, KeyType type, List<String> hosts) {
        try {
            KeyPair keys = newKeys(type);
            Instant now = Instant.now();
            List<GeneralName> san = new ArrayList<>();
            for (String h : hosts) {
                san.add(h.indexOf(':') >= 0 || h.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
                        ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(h).getHostAddress())
                        : new GeneralName(GeneralName.dNSName, h));
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca,
                    BigInteger.valueOf(serial.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), new X500Name("CN=" + name), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(san.toArray(new GeneralName[0])));
            X509Certificate cert = sign(b, caKeys, KeyType.EC);
            Path certFile = dir.resolve(name + ".crt");
            Path keyFile = dir.resolve(name + ".key");
            writePem(certFile, List.of(cert, ca));
            try (Writer w = Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII);
                 JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            }
            return new Issued(certFile, keyFile, cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client {@link SSLContext} that trusts this CA only (host names are checked by the socket, not here). */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("hermes-test-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client SSLContext", e);
        }
    }

    private static KeyPair newKeys(KeyType type) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type.name());
            if (type == KeyType.EC) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + type + " key pair", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer, KeyType type) throws CertIOException {
        try {
            String algorithm = type == KeyType.EC ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static void writePem(Path file, List<X509Certificate> certs) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certs) {
                pem.writeObject(c);
            }
        }
    }
}
