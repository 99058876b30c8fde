package org.secureota.workbench.server;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.util.ssl.X509;

/**
 * Jetty's {@link SecureRequestCustomizer} with its host check (a request's {@code Host} must be a
 * name or address of the server's certificate, else 400) done against the server's one certificate,
 * parsed once.
 *
 * <p>Jetty's own check parses the certificate of every new TLS session into an {@link X509} (its
 * subject through an LDAP name parser, its alternative names): every device connection is a new
 * session, so that work was on every full handshake's first request. The server has exactly one key
 * and chain ({@link TlsPolicy}), so the certificate of every session is this one. SNI stays optional.
 */
final class OneCertificateRequestCustomizer extends SecureRequestCustomizer {

    private final X509 certificate;

    OneCertificateRequestCustomizer(KeyStore keyStore) {
        this.certificate = leafOf(keyStore);
        setSniRequired(false); // devices connect by IP address or by any of the certificate's names
        setSniHostCheck(true);
    }

    @Override
    protected void checkSni(Request request, SSLSession session) {
        if (isSniHostCheck() && !certificate.matches(Request.getServerName(request))) {
            throw new HttpException.RuntimeException(400, "Invalid SNI");
        }
    }

    private static X509 leafOf(KeyStore keyStore) {
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias) && keyStore.getCertificate(alias) instanceof X509Certificate leaf) {
                    return new X509(alias, leaf);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("The server's key store cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalStateException("The server's key store holds no key with an X.509 certificate.");
    }
}
