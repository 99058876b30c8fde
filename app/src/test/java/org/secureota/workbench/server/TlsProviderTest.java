package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Security;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class TlsProviderTest {

    @Test
    void jdkIsAlwaysAvailable() {
        assertThat(TlsProvider.decide("jdk").name()).isEqualTo(TlsProvider.JDK);
        assertThat(TlsProvider.decide("jdk").isJdk()).isTrue();
    }

    @Test
    void autoPicksConscryptWhereItsNativeLibraryLoadsAndFallsBackOtherwise() throws Exception {
        TlsProvider.Choice auto = TlsProvider.decide("auto");
        if (auto.isJdk()) {
            assertThat(auto.reason()).startsWith("Conscrypt unavailable");
        } else {
            assertThat(auto.name()).isEqualTo(TlsProvider.CONSCRYPT);
            // Registered last: the JCA defaults of the rest of the workbench stay the JDK's.
            assertThat(Security.getProviders()[Security.getProviders().length - 1].getName())
                    .isEqualTo(TlsProvider.CONSCRYPT);
            assertThat(SSLContext.getDefault().getProvider().getName()).isEqualTo(TlsProvider.JDK);
        }
    }

    @Test
    void anUnknownChoiceIsRefused() {
        assertThatThrownBy(() -> TlsProvider.decide("openssl")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("auto, jdk or conscrypt");
    }
}
