package org.secureota.workbench.server;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS the OTA server speaks: TLS 1.3 and 1.2 only, forward-secret (ECDHE) key exchange and AEAD
 * ciphers only.
 *
 * <p>TLS 1.0/1.1, static-RSA key exchange (no forward secrecy) and CBC suites (Lucky13-style
 * padding oracles, MAC-then-encrypt) are never negotiated. The TLS 1.2 list is ordered for what an
 * ESP32 offers: mbedTLS 2.28 (Arduino-ESP32 2.x, the virtual ESP32 on Debian) and mbedTLS 3.x
 * (Arduino-ESP32 3.x / ESP-IDF 5) both offer TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256, which the
 * lab's P-256 server certificate serves; the RSA variants only matter if someone swaps in an RSA
 * certificate. Client-initiated renegotiation is refused (a cheap CPU-exhaustion vector with no use
 * in OTA).
 *
 * <p>The provider does not change the policy: {@link TlsProvider} picks Conscrypt (BoringSSL) when
 * its native library loads, the JDK's SunJSSE otherwise, and both get exactly these protocols and
 * suites. Conscrypt does the handshake's elliptic-curve work natively, about half the server CPU
 * per connection of the JDK 17's Java implementation.
 */
public final class TlsPolicy {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3: every suite is AEAD with ephemeral key exchange.
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2, ECDSA certificate (the lab's).
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            // TLS 1.2, RSA certificate.
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /** A Jetty TLS context serving {@code keyStore}'s key and chain under this policy. */
    public static SslContextFactory.Server contextFactory(KeyStore keyStore, char[] keyPassword) {
        SslContextFactory.Server tls = new SslContextFactory.Server() {
            @Override
            public void customize(SSLEngine engine) {
                if (org.conscrypt.Conscrypt.isConscrypt(engine)) {
                    // Jetty's customize(SSLParameters) on fresh parameters instead of the engine's own
                    // (getSSLParameters): same policy, without Conscrypt's two reflective look-ups that
                    // fail on Java 17 (ConscryptParameters). Jetty sets the suites, protocols, order,
                    // SNI matcher and client auth; what else Conscrypt applies (algorithm constraints,
                    // ALPN, server names) is unset on a new server engine as on fresh parameters.
                    engine.setSSLParameters(customize(new ConscryptParameters()));
                } else {
                    super.customize(engine);
                }
                // Conscrypt leaves TLS 1.2 session tickets off unless asked (SunJSSE issues them by
                // default): with them a device resumes its session for the image and the report
                // connections without the server keeping any state. BoringSSL encrypts tickets with
                // a key of its own that it rotates (every two days); a ticket it cannot decrypt,
                // because its key rotated or the server restarted, gets a full handshake.
                if (org.conscrypt.Conscrypt.isConscrypt(engine)) {
                    org.conscrypt.Conscrypt.setUseSessionTickets(engine, true);
                }
            }

            @Override
            public X509Certificate[] getX509CertChain(SSLSession session) {
                // Jetty asks every new connection for the client's certificates (its SslSessionData);
                // none are ever requested, and asking throws and catches SSLPeerUnverifiedException.
                return getNeedClientAuth() || getWantClientAuth() ? super.getX509CertChain(session) : null;
            }

            @Override
            protected X509ExtendedKeyManager newSniX509ExtendedKeyManager(X509ExtendedKeyManager keyManager) {
                // The server has one key and chain (the lab's, or the rogue's), served whatever name the
                // client asks for (SNI not required): Jetty's SNI selection has nothing to choose, and
                // with Conscrypt it cost a reflective lookup that throws NoSuchMethodException on every
                // full handshake (JFR allocation samples, bench/profile-serve).
                return keyManager;
            }
        };
        TlsProvider.Choice provider = TlsProvider.get();
        if (!provider.isJdk()) {
            tls.setProvider(provider.name());
        }
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(keyPassword));
        tls.setKeyManagerPassword(new String(keyPassword));
        // Jetty's defaults exclude weak suites by pattern; replacing them with an explicit list makes
        // the policy exactly what is written above, whatever the JDK or Jetty defaults become.
        tls.setExcludeProtocols();
        tls.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        tls.setExcludeCipherSuites();
        tls.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        tls.setUseCipherSuitesOrder(true);
        tls.setRenegotiationAllowed(false);
        // OTA clients authenticate with API keys, not certificates.
        tls.setNeedClientAuth(false);
        tls.setWantClientAuth(false);
        return tls;
    }
}
