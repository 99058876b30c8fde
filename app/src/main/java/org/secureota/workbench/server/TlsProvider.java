package org.secureota.workbench.server;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Which JSSE provider runs the OTA server's TLS: Conscrypt (BoringSSL, native) when its bundled
 * library loads on this machine, else the JDK's own (SunJSSE). Both are held to the same
 * {@link TlsPolicy}: same protocols, same AEAD suites, same certificate.
 *
 * <p>Conscrypt is only used for the server's {@code SSLContext}: it is added at the end of the
 * provider list, so every other use of the JCA in the workbench (PKI, signing, hashing) keeps the
 * JDK's providers. The system property {@value #PROPERTY} ({@code auto}, {@code jdk} or
 * {@code conscrypt}) overrides the choice; {@code conscrypt} fails when the library cannot load.
 */
public final class TlsProvider {

    public static final String PROPERTY = "workbench.tls.provider";
    public static final String JDK = "SunJSSE";
    static final String CONSCRYPT = "Conscrypt";

    private static final Logger LOG = Logger.getLogger(TlsProvider.class.getName());
    private static volatile Choice choice;

    /** The provider name to hand to {@code SSLContext.getInstance}, and why it was chosen. */
    public record Choice(String name, String reason) {
        public boolean isJdk() {
            return JDK.equals(name);
        }
    }

    private TlsProvider() {
    }

    /** The provider the server uses, decided once per JVM (the native library loads at most once). */
    public static Choice get() {
        Choice c = choice;
        if (c == null) {
            synchronized (TlsProvider.class) {
                c = choice;
                if (c == null) {
                    c = decide(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT));
                    // Journaled with server.started (tls_provider) and shown by the window: not for stderr.
                    LOG.fine("OTA server TLS provider: " + c.name() + " (" + c.reason() + ")");
                    choice = c;
                }
            }
        }
        return c;
    }

    static Choice decide(String wanted) {
        switch (wanted) {
            case "jdk":
                return new Choice(JDK, PROPERTY + "=jdk");
            case "conscrypt": {
                String failure = loadConscrypt();
                if (failure != null) {
                    throw new IllegalStateException(PROPERTY + "=conscrypt, but Conscrypt cannot load: " + failure);
                }
                return new Choice(CONSCRYPT, PROPERTY + "=conscrypt");
            }
            case "auto": {
                String failure = loadConscrypt();
                return failure == null
                        ? new Choice(CONSCRYPT, "native BoringSSL loaded")
                        : new Choice(JDK, "Conscrypt unavailable: " + failure);
            }
            default:
                throw new IllegalStateException(PROPERTY + "=" + wanted + " is not a choice: use auto, jdk or conscrypt.");
        }
    }

    /** Null when Conscrypt is registered and usable, else why not. */
    private static String loadConscrypt() {
        try {
            if (Security.getProvider(CONSCRYPT) != null) {
                return null;
            }
            if (!org.conscrypt.Conscrypt.isAvailable()) {
                Throwable why = unavailability();
                return why == null ? "native library not available" : why.toString();
            }
            Provider p = org.conscrypt.Conscrypt.newProvider();
            Security.addProvider(p); // last: only asked for by name, by the OTA server
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e.toString();
        }
    }

    private static Throwable unavailability() {
        try {
            org.conscrypt.Conscrypt.checkAvailability();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
