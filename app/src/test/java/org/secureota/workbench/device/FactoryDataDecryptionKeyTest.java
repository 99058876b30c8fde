package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** Factory data tag 7: the product's firmware-decryption key, optional. */
@Tag("unit")
class FactoryDataDecryptionKeyTest {

    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    static final String PUB = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    static final String PRIV = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";

    static FactoryData base() {
        return new FactoryData("dev1", "shop-display", "https://127.0.0.1:8443", "k", CA, PUB);
    }

    @Test
    void withoutAKeyTheBytesAreFormatOneAsBeforeWithSixRecords() {
        byte[] bytes = base().serialize();
        assertThat(bytes[6]).isEqualTo((byte) 6);
        assertThat(FactoryData.parse(bytes).decryptionKeyPem()).isNull();
    }

    @Test
    void theKeyIsRecordSevenAndRoundTrips() {
        FactoryData withKey = base().withDecryptionKey(PRIV);
        byte[] bytes = withKey.serialize();
        assertThat(bytes[6]).isEqualTo((byte) 7);
        assertThat(FactoryData.parse(bytes)).isEqualTo(withKey);
        assertThat(withKey.toString()).doesNotContain("MIGH").contains("decryptionKeyPem=(hidden)");
    }

    @Test
    void aKeyThatIsNotPkcs8PemIsRefused() {
        assertThatThrownBy(() -> base().withDecryptionKey("-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("PKCS#8");
        assertThatThrownBy(() -> base().withDecryptionKey("")).hasMessageContaining("missing or empty");
    }
}
