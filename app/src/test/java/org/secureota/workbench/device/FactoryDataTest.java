package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class FactoryDataTest {

    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    static final String PUB = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    static final FactoryData SAMPLE = new FactoryData("esp32-lab-01", "shop-display", "https://localhost:8443",
            "k3y-value", CA, PUB);

    @Test
    void layoutFollowsTheDocumentedFormat() {
        byte[] bytes = SAMPLE.serialize();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("SOFD");
        assertThat(b.getShort(4)).isEqualTo((short) 1);
        assertThat(b.getShort(6)).isEqualTo((short) 6);
        int recordsLength = b.getInt(8);
        assertThat(bytes).hasSize(16 + recordsLength);
        // The first record is the device id: tag 1, its length, its bytes.
        assertThat(b.getShort(16)).isEqualTo((short) 1);
        assertThat(b.getShort(18)).isEqualTo((short) "esp32-lab-01".length());
        assertThat(new String(bytes, 20, 12, StandardCharsets.UTF_8)).isEqualTo("esp32-lab-01");
        // CRC-32 (zlib) over header bytes 0..11 and then the records, as the firmware computes it.
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 12);
        crc.update(bytes, 16, recordsLength);
        assertThat(Integer.toUnsignedLong(b.getInt(12))).isEqualTo(crc.getValue());
    }

    @Test
    void roundTripsThroughAPartitionImage() {
        byte[] image = SAMPLE.partitionImage(0x2000);
        assertThat(image).hasSize(0x2000);
        assertThat(image[image.length - 1]).isEqualTo((byte) 0xFF);
        assertThat(FactoryData.parse(image)).isEqualTo(SAMPLE);
    }

    @Test
    void damagedOrBlankPartitionsAreRefusedWithTheReason() {
        byte[] image = SAMPLE.partitionImage(0x1000);
        image[40] ^= 0x01;
        assertThatThrownBy(() -> FactoryData.parse(image)).hasMessageContaining("CRC mismatch");
        byte[] blank = new byte[0x1000];
        java.util.Arrays.fill(blank, (byte) 0xFF);
        assertThatThrownBy(() -> FactoryData.parse(blank)).hasMessageContaining("never provisioned");
        assertThatThrownBy(() -> SAMPLE.partitionImage(64)).hasMessageContaining("more than the 64-byte partition");
    }

    @Test
    void fieldsAreCheckedAndTheKeyIsNeverPrinted() {
        assertThatThrownBy(() -> new FactoryData("", "p", "https://h", "k", CA, PUB)).hasMessageContaining("device_id");
        assertThatThrownBy(() -> new FactoryData("d", "p", "http://h", "k", CA, PUB)).hasMessageContaining("https://");
        assertThatThrownBy(() -> new FactoryData("d", "p".repeat(32), "https://h", "k", CA, PUB))
                .hasMessageContaining("product").hasMessageContaining("limit is 31");
        assertThatThrownBy(() -> new FactoryData("d", "p", "https://h", "k", PUB, PUB)).hasMessageContaining("ca_cert_pem");
        assertThat(SAMPLE.toString()).doesNotContain("k3y-value");
    }
}
