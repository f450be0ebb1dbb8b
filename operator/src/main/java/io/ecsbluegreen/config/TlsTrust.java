package io.ecsbluegreen.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates the operator's own HTTP calls (http hooks, HTTP probes, Prometheus) trust: the JVM's
 * default trust store, plus the CAs of {@code bluegreen.tls.ca-bundle} when set (a private CA that signs
 * the applications' certificates). It only adds trust anchors; verification itself is never turned off.
 */
public final class TlsTrust {
    private TlsTrust() {}

    /**
     * The JVM's default context without a bundle; with one, a context trusting the default anchors and
     * the bundle's.
     *
     * @throws IllegalStateException when the bundle cannot be read or holds no certificate (the message
     *     names the property), so that the operator does not start trusting less than it was told to
     */
    public static SSLContext context(Optional<Path> caBundle) {
        if (caBundle.isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no default TLS context", e);
            }
        }
        Path file = caBundle.get();
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("bluegreen.tls.ca-bundle: cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
        if (read.isEmpty()) throw new IllegalStateException("bluegreen.tls.ca-bundle: no certificate in " + file);
        List<X509Certificate> extra = new ArrayList<>();
        read.forEach(c -> extra.add((X509Certificate) c));
        return context(extra);
    }

    /** A context trusting the JVM's default anchors and {@code extra}. */
    public static SSLContext context(Collection<X509Certificate> extra) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate c : defaultAnchors()) anchors.setCertificateEntry("jvm-" + n++, c);
            for (X509Certificate c : extra) anchors.setCertificateEntry("bundle-" + n++, c);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS trust of bluegreen.tls.ca-bundle", e);
        }
    }

    private static List<X509Certificate> defaultAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x) return List.of(x.getAcceptedIssuers());
        }
        return List.of();
    }
}
