package org.secureota.workbench.firmware;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The payload of a signed OTA manifest, format v1 (see {@code docs/manifest.md}). A {@code Manifest}
 * value is always well-formed: the constructor checks every field, so code that holds one never
 * re-checks names, hex or times.
 *
 * @param formatVersion  {@code v}, always 1
 * @param product        the device class the release is for
 * @param version        the image's {@code esp_app_desc_t.version}
 * @param secureVersion  the image's {@code esp_app_desc_t.secure_version} (anti-rollback)
 * @param url            the image's path on the OTA server
 * @param size           exact image size in bytes
 * @param sha256         lowercase hex SHA-256 of the whole image file
 * @param issuedAt       when it was signed (whole seconds)
 * @param expiresAt      after this instant the manifest is refused (whole seconds)
 * @param counter        per-product publish counter, strictly increasing
 * @param encryption     format 2 only: the encrypted file that {@code url} serves; null in format 1
 * @param device         a per-device deployment's manifest: the one device id it is for; null for a
 *                       product-wide manifest (devices refuse one bound to another id)
 */
public record Manifest(int formatVersion, String product, String version, long secureVersion, String url, long size,
                       String sha256, Instant issuedAt, Instant expiresAt, long counter, ManifestEncryption encryption,
                       String device) {

    public static final int FORMAT_VERSION = 1;
    /** Format 2: format 1 plus the four encryption fields; only for releases served encrypted. */
    public static final int ENCRYPTED_FORMAT_VERSION = 2;
    /** The fields of a v1 payload, in the order they are written. */
    public static final List<String> FIELDS = List.of("v", "product", "version", "secure_version", "url", "size",
            "sha256", "issued_at", "expires_at", "counter");
    /** The fields a v2 payload adds after {@link #FIELDS}. */
    public static final List<String> ENCRYPTION_FIELDS = List.of("encryption", "encryption_key_id", "encrypted_size",
            "encrypted_sha256");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** The optional field that binds a manifest to one device (both formats). */
    public static final String DEVICE_FIELD = "device";
    /** A provisioned device id: 1 to 64 letters, digits, '.', '_' or '-'. */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{1,255}");
    /** JSON integers above 2^53 lose precision in many parsers (JavaScript, cJSON's double): keep every number below. */
    static final long MAX_JSON_INTEGER = (1L << 53) - 1;

    /** Rejects duplicate keys (parsers disagree on which one wins) and anything after the object. */
    static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** A format-1 manifest: the image is served as it is. */
    public Manifest(int formatVersion, String product, String version, long secureVersion, String url, long size,
                    String sha256, Instant issuedAt, Instant expiresAt, long counter) {
        this(formatVersion, product, version, secureVersion, url, size, sha256, issuedAt, expiresAt, counter, null);
    }

    /** A product-wide manifest (no {@code device}). */
    public Manifest(int formatVersion, String product, String version, long secureVersion, String url, long size,
                    String sha256, Instant issuedAt, Instant expiresAt, long counter, ManifestEncryption encryption) {
        this(formatVersion, product, version, secureVersion, url, size, sha256, issuedAt, expiresAt, counter, encryption,
                null);
    }

    /** This manifest bound to {@code deviceId} (a per-device deployment), other fields unchanged. */
    public Manifest forDevice(String deviceId, Instant issued, Instant expires, long newCounter) {
        return new Manifest(formatVersion, product, version, secureVersion, url, size, sha256, issued, expires, newCounter,
                encryption, deviceId);
    }

    public Manifest {
        if (formatVersion != FORMAT_VERSION && formatVersion != ENCRYPTED_FORMAT_VERSION) {
            throw new IllegalArgumentException("'v' is " + formatVersion + "; this workbench reads formats 1 and 2");
        }
        if ((formatVersion == ENCRYPTED_FORMAT_VERSION) != (encryption != null)) {
            throw new IllegalArgumentException(formatVersion == ENCRYPTED_FORMAT_VERSION
                    ? "format 2 needs the encryption fields " + ENCRYPTION_FIELDS
                    : "format 1 has no encryption fields; an encrypted release is format 2");
        }
        if (encryption != null && encryption.size() != size + EncryptedImageHeader.SIZE) {
            throw new IllegalArgumentException("'encrypted_size' is " + encryption.size() + ", but an encrypted image of "
                    + size + " bytes is exactly " + (size + EncryptedImageHeader.SIZE));
        }
        Objects.requireNonNull(issuedAt, "issued_at");
        Objects.requireNonNull(expiresAt, "expires_at");
        if (!ReleaseNames.isProduct(product)) {
            throw new IllegalArgumentException("'product' is '" + product + "', not a product name ([a-z0-9][a-z0-9-]{0,31})");
        }
        if (!ReleaseNames.isVersion(version)) {
            throw new IllegalArgumentException("'version' is '" + version + "', not a semantic version MAJOR.MINOR.PATCH");
        }
        if (secureVersion < 0 || secureVersion > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("'secure_version' is " + secureVersion + ", outside 0..2^32-1 (a u32 in esp_app_desc_t)");
        }
        if (url == null || !URL_PATH.matcher(url).matches() || url.contains("..")) {
            throw new IllegalArgumentException("'url' is '" + url + "', not an absolute path such as /firmware/shop-display-2.0.0.bin");
        }
        if (size <= 0 || size > AppImage.MAX_SIZE) {
            throw new IllegalArgumentException("'size' is " + size + ", outside 1..16 MiB");
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("'sha256' is not 64 lowercase hex digits");
        }
        if (issuedAt.getNano() != 0 || expiresAt.getNano() != 0) {
            throw new IllegalArgumentException("'issued_at' and 'expires_at' are whole Unix seconds");
        }
        if (issuedAt.getEpochSecond() < 0 || expiresAt.getEpochSecond() > MAX_JSON_INTEGER) {
            throw new IllegalArgumentException("'issued_at'/'expires_at' out of range");
        }
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("'expires_at' (" + expiresAt + ") is not after 'issued_at' (" + issuedAt + ")");
        }
        if (counter < 1 || counter > MAX_JSON_INTEGER) {
            throw new IllegalArgumentException("'counter' is " + counter + ", outside 1..2^53-1");
        }
        if (device != null && !DEVICE_ID.matcher(device).matches()) {
            throw new IllegalArgumentException("'device' is '" + device + "', not a device id (1 to 64 letters, digits,"
                    + " '.', '_' or '-')");
        }
    }

    /** The payload JSON, UTF-8, fields in {@link #FIELDS} order, no whitespace. */
    public byte[] toJson() {
        ObjectNode node = STRICT_JSON.createObjectNode();
        node.put("v", formatVersion);
        node.put("product", product);
        node.put("version", version);
        node.put("secure_version", secureVersion);
        node.put("url", url);
        node.put("size", size);
        node.put("sha256", sha256);
        node.put("issued_at", issuedAt.getEpochSecond());
        node.put("expires_at", expiresAt.getEpochSecond());
        node.put("counter", counter);
        if (encryption != null) {
            node.put("encryption", encryption.scheme().id());
            node.put("encryption_key_id", encryption.keyId());
            node.put("encrypted_size", encryption.size());
            node.put("encrypted_sha256", encryption.sha256());
        }
        if (device != null) {
            node.put(DEVICE_FIELD, device);
        }
        try {
            return STRICT_JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode of strings and numbers always serializes", e);
        }
    }

    /**
     * Reads a payload strictly: a JSON object with exactly the v1 fields, each of its JSON type
     * (integers must be integers, not strings or floats), no duplicates, nothing after it.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static Manifest fromJson(byte[] json) {
        JsonNode node;
        try {
            node = STRICT_JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("payload is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("payload is not a JSON object");
        }
        boolean encrypted = node.get("v") != null && node.get("v").isIntegralNumber()
                && node.get("v").asLong() == ENCRYPTED_FORMAT_VERSION;
        List<String> fields = encrypted
                ? java.util.stream.Stream.concat(FIELDS.stream(), ENCRYPTION_FIELDS.stream()).toList() : FIELDS;
        Set<String> known = new java.util.HashSet<>(fields);
        known.add(DEVICE_FIELD);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("payload has an unknown field '" + name + "'; format v"
                        + (encrypted ? 2 : 1) + " has exactly " + String.join(", ", fields) + " (and an optional "
                        + DEVICE_FIELD + ")");
            }
        }
        ManifestEncryption encryption = null;
        if (encrypted) {
            EncryptionScheme scheme = EncryptionScheme.fromId(text(node, "encryption"));
            encryption = new ManifestEncryption(scheme, text(node, "encryption_key_id"),
                    integer(node, "encrypted_size", 0, MAX_JSON_INTEGER), text(node, "encrypted_sha256"));
        }
        return new Manifest(
                (int) integer(node, "v", 0, Integer.MAX_VALUE),
                text(node, "product"),
                text(node, "version"),
                integer(node, "secure_version", 0, 0xFFFF_FFFFL),
                text(node, "url"),
                integer(node, "size", 0, MAX_JSON_INTEGER),
                text(node, "sha256"),
                Instant.ofEpochSecond(integer(node, "issued_at", 0, MAX_JSON_INTEGER)),
                Instant.ofEpochSecond(integer(node, "expires_at", 0, MAX_JSON_INTEGER)),
                integer(node, "counter", 0, MAX_JSON_INTEGER),
                encryption,
                node.has(DEVICE_FIELD) ? text(node, DEVICE_FIELD) : null);
    }

    /** True for a format-2 manifest: {@code url} serves an esp_encrypted_img file, not the image. */
    public boolean encrypted() {
        return encryption != null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("payload has no '" + field + "'");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a JSON string, found " + value.getNodeType());
        }
        return value.textValue();
    }

    private static long integer(JsonNode node, String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("payload has no '" + field + "'");
        }
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a JSON integer, found " + value.getNodeType()
                    + (value.isNumber() ? " " + value.asText() : ""));
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw new IllegalArgumentException("'" + field + "' is " + value.asText() + ", outside " + min + ".." + max);
        }
        return value.longValue();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
