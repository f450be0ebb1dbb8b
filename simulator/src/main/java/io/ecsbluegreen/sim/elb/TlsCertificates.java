package io.ecsbluegreen.sim.elb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates HTTPS listeners serve: a CA made when first needed, and one certificate it issues for
 * the application's names (default {@code *.example.test}). As with ACM on an ALB, the certificate does
 * not name the load balancer's DNS name, so a client must connect with SNI and verify the application's
 * host name. Keys are EC P-256; certificates are encoded here (DER), so the simulator needs no library.
 * Validity follows the wall clock (TLS peers check it), not the simulator clock. Thread-safe.
 */
public final class TlsCertificates {

    /** The names the served certificate carries unless {@link #names(List)} changes them. */
    public static final List<String> DEFAULT_NAMES = List.of("*.example.test");
    private static final String EC_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final char[] PASSWORD = "simulator".toCharArray();

    private List<String> names = DEFAULT_NAMES;
    private X509Certificate ca;
    private KeyPair caKeys;
    private SSLContext server;

    /**
     * Sets the DNS names (wildcards allowed) of the certificate HTTPS listeners serve; listeners opened
     * afterwards serve it.
     */
    public synchronized void names(List<String> dnsNames) {
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        names = List.copyOf(dnsNames);
        server = null;
    }

    public synchronized List<String> names() {
        return names;
    }

    /** The CA certificate a client must trust to talk to HTTPS listeners. */
    public synchronized X509Certificate caCertificate() {
        ensureCa();
        return ca;
    }

    /** A client context that trusts the simulator's CA (and nothing else). */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("simulator-ca", caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a client TLS context", e);
        }
    }

    /**
     * The server context HTTPS listeners use: the certificate for {@link #names()} and the CA. Public for
     * other loopback servers that need a certificate their clients can verify (the CLI's tests).
     */
    public synchronized SSLContext serverContext() {
        if (server != null) {
            return server;
        }
        ensureCa();
        try {
            KeyPair leafKeys = ecKeys();
            X509Certificate leaf = issue(names.get(0), names, leafKeys, false);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("listener", leafKeys.getPrivate(), PASSWORD, new Certificate[] {leaf, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            server = context;
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the listeners' TLS context", e);
        }
    }

    private void ensureCa() {
        if (ca == null) {
            try {
                caKeys = ecKeys();
                ca = issue("ecs-bluegreen simulator CA", List.of(), caKeys, true);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the simulator's CA", e);
            }
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate signed by the CA (or by itself, for the CA). */
    private X509Certificate issue(String commonName, List<String> dnsNames, KeyPair subject, boolean isCa)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        byte[] algorithm = seq(oid(EC_WITH_SHA256));
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extensions.writeBytes(extension("2.5.29.19", true, isCa ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq()));
        extensions.writeBytes(extension("2.5.29.15", true,
                isCa ? tlv(0x03, new byte[] {0x01, 0x06}) : tlv(0x03, new byte[] {0x07, (byte) 0x80})));
        if (!isCa) {
            ByteArrayOutputStream san = new ByteArrayOutputStream();
            dnsNames.forEach(n -> san.writeBytes(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII))));
            extensions.writeBytes(extension("2.5.29.17", false, tlv(0x30, san.toByteArray())));
            extensions.writeBytes(extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))));
        }
        String issuer = isCa ? commonName : "ecs-bluegreen simulator CA";
        byte[] tbs = seq(tlv(0xa0, tlv(0x02, BigInteger.TWO.toByteArray())),
                tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                algorithm, name(issuer), seq(time(now.minus(Duration.ofDays(1))), time(now.plus(Duration.ofDays(825)))),
                name(commonName), subject.getPublic().getEncoded(), tlv(0xa3, tlv(0x30, extensions.toByteArray())));
        PrivateKey signer = isCa ? subject.getPrivate() : caKeys.getPrivate();
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer);
        signature.update(tbs);
        byte[] signed = signature.sign();
        byte[] bits = new byte[signed.length + 1];
        System.arraycopy(signed, 0, bits, 1, signed.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
    }

    private static byte[] name(String commonName) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant instant) {
        return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(instant)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int shift = 63 - Long.numberOfLeadingZeros(arc | 1);
            for (int group = shift / 7; group > 0; group--) {
                out.write((int) (0x80 | ((arc >> (7 * group)) & 0x7f)));
            }
            out.write((int) (arc & 0x7f));
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
