package org.secureota.workbench.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A device's identity and trust anchors, as the factory writes them into its factory data
 * partition (docs/factory-data.md). The firmware trusts only what is here: nothing received over
 * the air or over serial can replace it.
 *
 * <p>Byte format, little-endian: a 16-byte header (magic {@code SOFD}, u16 format version 1, u16
 * record count, u32 records length, u32 CRC-32 of header bytes 0..11 followed by the records), then
 * records of {@code u16 tag, u16 length, UTF-8 value}.
 *
 * <p>{@code decryptionKeyPem} (tag 7) is optional: the product's esp_encrypted_img private key, for devices
 * of a product whose releases are published encrypted. Null when absent; a device without it keeps
 * installing plaintext releases.
 *
 * <p>{@code lcdLanguage} (tag 8, {@code lcd_lang}) is optional too: the language of the LCD's texts. Null when
 * absent; the firmware then speaks French.
 */
public record FactoryData(String deviceId, String product, String serverUrl, String apiKey,
                          String caCertificatePem, String signingPublicKeyPem, String decryptionKeyPem,
                          LcdLanguage lcdLanguage) {

    public static final byte[] MAGIC = {'S', 'O', 'F', 'D'};
    public static final int FORMAT_VERSION = 1;
    public static final int HEADER_SIZE = 16;
    /** Where the partition lives in both flash layouts (docs/factory-data.md): one flash command for every board. */
    public static final int PARTITION_OFFSET = 0x3EE000;
    public static final int PARTITION_SIZE = 0x2000;

    /** The records, in the order the firmware writes them, with the firmware's size limits. */
    enum Field {
        DEVICE_ID(1, "device_id", 64),
        PRODUCT(2, "product", 31),
        SERVER_URL(3, "server_url", 256),
        API_KEY(4, "api_key", 128),
        CA_CERT_PEM(5, "ca_cert_pem", 3072),
        SIGNING_PUBKEY_PEM(6, "signing_pubkey_pem", 1024),
        /** Optional; 3300 bytes hold an RSA-3072 PKCS#8 PEM. */
        DECRYPTION_KEY_PEM(7, "decryption_key_pem", 3300),
        /** Optional: fr or en. */
        LCD_LANG(8, "lcd_lang", 2);

        final int tag;
        final String wireName;
        final int maxBytes;

        Field(int tag, String wireName, int maxBytes) {
            this.tag = tag;
            this.wireName = wireName;
            this.maxBytes = maxBytes;
        }
    }

    /** Factory data without a decryption key: the device installs plaintext releases only. */
    public FactoryData(String deviceId, String product, String serverUrl, String apiKey, String caCertificatePem,
                       String signingPublicKeyPem) {
        this(deviceId, product, serverUrl, apiKey, caCertificatePem, signingPublicKeyPem, null, null);
    }

    /** Factory data with a decryption key (null: none) and no {@code lcd_lang}: a French LCD. */
    public FactoryData(String deviceId, String product, String serverUrl, String apiKey, String caCertificatePem,
                       String signingPublicKeyPem, String decryptionKeyPem) {
        this(deviceId, product, serverUrl, apiKey, caCertificatePem, signingPublicKeyPem, decryptionKeyPem, null);
    }

    /** The same factory data with the LCD's language set (null: absent, French). */
    public FactoryData withLcdLanguage(LcdLanguage language) {
        return new FactoryData(deviceId, product, serverUrl, apiKey, caCertificatePem, signingPublicKeyPem,
                decryptionKeyPem, language);
    }

    /** The same factory data with the product's firmware-decryption private key (PKCS#8 PEM) added. */
    public FactoryData withDecryptionKey(String privateKeyPem) {
        return new FactoryData(deviceId, product, serverUrl, apiKey, caCertificatePem, signingPublicKeyPem, privateKeyPem,
                lcdLanguage);
    }

    public FactoryData {
        if (decryptionKeyPem != null) {
            checkField(Field.DECRYPTION_KEY_PEM, decryptionKeyPem);
            if (!decryptionKeyPem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalArgumentException("decryption_key_pem is not a PKCS#8 PEM private key"
                        + " (no BEGIN PRIVATE KEY line)");
            }
        }
        Map<Field, String> values = new LinkedHashMap<>();
        values.put(Field.DEVICE_ID, deviceId);
        values.put(Field.PRODUCT, product);
        values.put(Field.SERVER_URL, serverUrl);
        values.put(Field.API_KEY, apiKey);
        values.put(Field.CA_CERT_PEM, caCertificatePem);
        values.put(Field.SIGNING_PUBKEY_PEM, signingPublicKeyPem);
        values.forEach(FactoryData::checkField);
        if (!caCertificatePem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("ca_cert_pem is not a PEM certificate (no BEGIN CERTIFICATE line)");
        }
        if (!signingPublicKeyPem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("signing_pubkey_pem is not a PEM public key (no BEGIN PUBLIC KEY line)");
        }
        if (!serverUrl.startsWith("https://")) {
            throw new IllegalArgumentException("server_url must be an https:// URL, not '" + serverUrl + "'");
        }
    }

    private static void checkField(Field field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("factory data field '" + field.wireName + "' is missing or empty");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > field.maxBytes) {
            throw new IllegalArgumentException("factory data field '" + field.wireName + "' is " + bytes
                    + " bytes, the limit is " + field.maxBytes);
        }
    }

    private String value(Field field) {
        return switch (field) {
            case DEVICE_ID -> deviceId;
            case PRODUCT -> product;
            case SERVER_URL -> serverUrl;
            case API_KEY -> apiKey;
            case CA_CERT_PEM -> caCertificatePem;
            case SIGNING_PUBKEY_PEM -> signingPublicKeyPem;
            case DECRYPTION_KEY_PEM -> decryptionKeyPem;
            case LCD_LANG -> lcdLanguage == null ? null : lcdLanguage.code();
        };
    }

    /** The partition's bytes, without the 0xFF fill up to the partition size. */
    public byte[] serialize() {
        List<byte[]> values = new ArrayList<>();
        List<Field> present = new ArrayList<>();
        int recordsLength = 0;
        for (Field f : Field.values()) {
            if (value(f) == null) {
                continue;  // only the optional decryption key and lcd_lang can be absent
            }
            byte[] v = value(f).getBytes(StandardCharsets.UTF_8);
            present.add(f);
            values.add(v);
            recordsLength += 4 + v.length;
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + recordsLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) present.size()).putInt(recordsLength);
        out.putInt(0); // CRC, filled in below
        for (int i = 0; i < present.size(); i++) {
            out.putShort((short) present.get(i).tag).putShort((short) values.get(i).length).put(values.get(i));
        }
        byte[] bytes = out.array();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, crc(bytes, recordsLength));
        return bytes;
    }

    /** A partition image of {@code partitionSize} bytes: the data, then erased flash (0xFF). */
    public byte[] partitionImage(int partitionSize) {
        byte[] data = serialize();
        if (data.length > partitionSize) {
            throw new IllegalArgumentException("factory data is " + data.length + " bytes, more than the "
                    + partitionSize + "-byte partition");
        }
        byte[] image = new byte[partitionSize];
        java.util.Arrays.fill(image, (byte) 0xFF);
        System.arraycopy(data, 0, image, 0, data.length);
        return image;
    }

    /** Reads a partition (trailing 0xFF allowed); the exception message says what is wrong. */
    public static FactoryData parse(byte[] partition) {
        if (partition.length < HEADER_SIZE) {
            throw new IllegalArgumentException("factory data is too small (" + partition.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(partition).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            boolean blank = true;
            for (int i = 0; i < HEADER_SIZE; i++) {
                blank &= partition[i] == (byte) 0xFF;
            }
            throw new IllegalArgumentException(blank ? "factory data partition is blank: the device was never provisioned"
                    : "factory data has no 'SOFD' magic: it holds something else");
        }
        int version = Short.toUnsignedInt(in.getShort());
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("factory data format version " + version + " is not supported (expected 1)");
        }
        int count = Short.toUnsignedInt(in.getShort());
        long recordsLength = Integer.toUnsignedLong(in.getInt());
        if (recordsLength > partition.length - HEADER_SIZE) {
            throw new IllegalArgumentException("factory data length field runs past the partition");
        }
        int storedCrc = in.getInt();
        if (storedCrc != crc(partition, (int) recordsLength)) {
            throw new IllegalArgumentException("factory data CRC mismatch: the partition is corrupt");
        }
        Map<Integer, String> byTag = new LinkedHashMap<>();
        Set<Integer> seen = new HashSet<>();
        int end = HEADER_SIZE + (int) recordsLength;
        for (int i = 0; i < count; i++) {
            if (end - in.position() < 4) {
                throw new IllegalArgumentException("factory data record " + i + " is truncated");
            }
            int tag = Short.toUnsignedInt(in.getShort());
            int len = Short.toUnsignedInt(in.getShort());
            if (end - in.position() < len) {
                throw new IllegalArgumentException("factory data record " + i + " runs past the records");
            }
            if (!seen.add(tag)) {
                throw new IllegalArgumentException("factory data tag " + tag + " appears twice");
            }
            byTag.put(tag, new String(partition, in.position(), len, StandardCharsets.UTF_8));
            in.position(in.position() + len);
        }
        if (in.position() != end) {
            throw new IllegalArgumentException("factory data record count does not match the records length");
        }
        return new FactoryData(byTag.get(Field.DEVICE_ID.tag), byTag.get(Field.PRODUCT.tag),
                byTag.get(Field.SERVER_URL.tag), byTag.get(Field.API_KEY.tag), byTag.get(Field.CA_CERT_PEM.tag),
                byTag.get(Field.SIGNING_PUBKEY_PEM.tag), byTag.get(Field.DECRYPTION_KEY_PEM.tag),
                byTag.containsKey(Field.LCD_LANG.tag) ? LcdLanguage.of(byTag.get(Field.LCD_LANG.tag)) : null);
    }

    private static int crc(byte[] bytes, int recordsLength) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 12);
        crc.update(bytes, HEADER_SIZE, recordsLength);
        return (int) crc.getValue();
    }

    /** Never print the API key or the decryption key: a device's secrets must not land in logs or screenshots. */
    @Override
    public String toString() {
        return "FactoryData[deviceId=" + deviceId + ", product=" + product + ", serverUrl=" + serverUrl
                + ", apiKey=(hidden), caCertificatePem=" + caCertificatePem.length() + " chars, signingPublicKeyPem="
                + signingPublicKeyPem.length() + " chars, decryptionKeyPem=" + (decryptionKeyPem == null ? "none"
                : "(hidden)") + ", lcdLanguage=" + (lcdLanguage == null ? "none (fr)" : lcdLanguage.code()) + "]";
    }
}
