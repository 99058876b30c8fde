package org.secureota.workbench.server;

import javax.net.ssl.SSLParameters;

/**
 * The {@link SSLParameters} handed to a Conscrypt engine, with the {@code getNamedGroups} accessor of
 * Java 20 and later declared here too.
 *
 * <p>Why: on Java 17, Conscrypt 2.9 looks that method up by reflection in every
 * {@code SSLEngine.setSSLParameters} (and {@code setNamedGroups} in every {@code getSSLParameters}),
 * and the {@code NoSuchMethodException} it catches, with its stack trace, was on every connection's
 * set-up (two per connection, {@code -Xlog:exceptions}). Found here, the lookup succeeds, and
 * {@code null} means what an absent method meant: the provider's default groups (X25519 first).
 * Must be public: Conscrypt invokes the method reflectively.
 */
public final class ConscryptParameters extends SSLParameters {

    /** The provider's default named groups: none chosen here. */
    public String[] getNamedGroups() {
        return null;
    }
}
