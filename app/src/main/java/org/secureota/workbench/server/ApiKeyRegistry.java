package org.secureota.workbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioned devices and their API keys, in {@code devices/devices.json} (mode 0600).
 *
 * <p>A key is 256 bits from {@link SecureRandom}, base64url without padding, handed out once at
 * provisioning (to be written into the device's factory data) and never stored: the file holds a
 * random 128-bit salt and SHA-256(salt || key) per device. A slow hash such as PBKDF2 would add
 * nothing here: it protects low-entropy passwords against guessing, and a 256-bit random key cannot
 * be guessed, so a single salted SHA-256 is enough to make a stolen file useless while keeping the
 * check cheap for a server that handles every poll of every device.
 *
 * <p>Checks compare digests with {@link MessageDigest#isEqual}, which takes the same time wherever
 * the digests differ, and an unknown device id costs the same hash as a known one, so response
 * times tell an attacker neither the key nor which ids exist.
 *
 * <p>The registry re-reads the file when it changes on disk, so a device added with
 * {@code ./workbench server add-device} in another terminal can poll a running server at once.
 */
public final class ApiKeyRegistry {

    public static final String FILE_NAME = "devices.json";
    private static final int KEY_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    /** One provisioned device as the server knows it: no key, only its salted hash. */
    public record Device(String id, String product, Instant provisionedAt) {
    }

    /** The outcome of a key check; {@code device} is present only when the key is right. */
    public record Check(Outcome outcome, Optional<Device> device) {
        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    /** Why a key was accepted or not; the journal records these, never the key. */
    public enum Outcome {
        ACCEPTED("key accepted"),
        MISSING_KEY("no API key in the request"),
        UNKNOWN_DEVICE("no such device is provisioned"),
        WRONG_KEY("the API key does not belong to this device");

        private final String description;

        Outcome(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private record Entry(Device device, byte[] salt, byte[] hash) {
    }

    private final PrivateJsonFile file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    // A fixed dummy so that checking an unknown id costs exactly one hash and one comparison too.
    private final Entry dummy;
    private Map<String, Entry> entries = new LinkedHashMap<>();
    private PrivateJsonFile.Stamp loaded;

    public ApiKeyRegistry(Path devicesDirectory) {
        this(devicesDirectory, Clock.systemUTC());
    }

    public ApiKeyRegistry(Path devicesDirectory, Clock clock) {
        this.file = new PrivateJsonFile(devicesDirectory.resolve(FILE_NAME));
        this.clock = clock;
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        this.dummy = new Entry(new Device("-", "-", Instant.EPOCH), salt, hash(salt, "-"));
        this.loaded = null;
    }

    public Path file() {
        return file.path();
    }

    /**
     * Provisions a new device and returns its API key: the only time the key exists in clear on the
     * server side. Refuses an id that already exists; use {@link #rotateKey} to replace a key.
     */
    public synchronized String register(String deviceId, String product) {
        Names.requireDeviceId(deviceId);
        Names.requireProduct(product);
        refresh();
        if (entries.containsKey(deviceId)) {
            throw new ServerStateException("Device '" + deviceId + "' is already provisioned (product "
                    + entries.get(deviceId).device().product() + "). Use 'server add-device " + deviceId
                    + " --product NAME --rotate-key' to issue it a new key, which invalidates the old one.");
        }
        return store(new Device(deviceId, product, clock.instant()));
    }

    /** Issues a new key for an existing device (the old key stops working) and returns it. */
    public synchronized String rotateKey(String deviceId, String product) {
        Names.requireDeviceId(deviceId);
        Names.requireProduct(product);
        refresh();
        if (!entries.containsKey(deviceId)) {
            throw new ServerStateException("Device '" + deviceId + "' is not provisioned, so it has no key to rotate."
                    + " Run 'server add-device " + deviceId + " --product " + product + "' first.");
        }
        return store(new Device(deviceId, product, clock.instant()));
    }

    private String store(Device device) {
        byte[] keyBytes = new byte[KEY_BYTES];
        random.nextBytes(keyBytes);
        String key = B64URL.encodeToString(keyBytes);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        next.put(device.id(), new Entry(device, salt, hash(salt, key)));
        save(next);
        return key;
    }

    /** Checks {@code presentedKey} for {@code deviceId} in constant time. Never throws for bad input. */
    public Check check(String deviceId, String presentedKey) {
        Entry entry;
        synchronized (this) {
            refresh();
            entry = deviceId == null ? null : entries.get(deviceId);
        }
        if (presentedKey == null || presentedKey.isEmpty()) {
            return new Check(Outcome.MISSING_KEY, Optional.empty());
        }
        Entry against = entry == null ? dummy : entry;
        boolean equal = MessageDigest.isEqual(hash(against.salt(), presentedKey), against.hash());
        if (entry == null) {
            return new Check(Outcome.UNKNOWN_DEVICE, Optional.empty());
        }
        return equal ? new Check(Outcome.ACCEPTED, Optional.of(entry.device()))
                : new Check(Outcome.WRONG_KEY, Optional.empty());
    }

    /**
     * The device whose key is {@code presentedKey}, for requests that name no device (firmware
     * downloads). Every device's hash is computed and compared, whether or not one already matched,
     * so the time taken depends on the number of devices only, never on the key.
     */
    public Check checkAnyDevice(String presentedKey) {
        List<Entry> all;
        synchronized (this) {
            refresh();
            all = List.copyOf(entries.values());
        }
        if (presentedKey == null || presentedKey.isEmpty()) {
            return new Check(Outcome.MISSING_KEY, Optional.empty());
        }
        Entry found = null;
        for (Entry e : all) {
            boolean equal = MessageDigest.isEqual(hash(e.salt(), presentedKey), e.hash());
            if (equal && found == null) {
                found = e;
            }
        }
        if (all.isEmpty()) {
            MessageDigest.isEqual(hash(dummy.salt(), presentedKey), dummy.hash());
        }
        return found == null ? new Check(Outcome.WRONG_KEY, Optional.empty())
                : new Check(Outcome.ACCEPTED, Optional.of(found.device()));
    }

    public synchronized Optional<Device> find(String deviceId) {
        refresh();
        Entry e = entries.get(deviceId);
        return e == null ? Optional.empty() : Optional.of(e.device());
    }

    public synchronized List<Device> devices() {
        refresh();
        List<Device> list = new ArrayList<>();
        entries.values().forEach(e -> list.add(e.device()));
        list.sort(Comparator.comparing(Device::id));
        return list;
    }

    private static byte[] hash(byte[] salt, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private void refresh() {
        if (loaded != null && !file.changedSince(loaded)) {
            return;
        }
        PrivateJsonFile.Stamp stamp = file.stamp();
        JsonNode root = file.read();
        Map<String, Entry> read = new LinkedHashMap<>();
        if (root != null) {
            JsonNode list = root.path("devices");
            if (!list.isArray()) {
                throw new ServerStateException(file.path() + " has no \"devices\" list. Fix it by hand or delete it"
                        + " and provision the devices again.");
            }
            for (JsonNode n : list) {
                try {
                    Device d = new Device(Names.requireDeviceId(n.path("id").asText(null)),
                            Names.requireProduct(n.path("product").asText(null)),
                            Instant.parse(n.path("provisioned_at").asText()));
                    read.put(d.id(), new Entry(d, B64URL_DECODER.decode(n.path("salt").asText()),
                            B64URL_DECODER.decode(n.path("key_sha256").asText())));
                } catch (RuntimeException e) {
                    throw new ServerStateException(file.path() + " holds a damaged device entry (" + e.getMessage()
                            + "). Fix it by hand or delete the entry and provision that device again.", e);
                }
            }
        }
        entries = read;
        loaded = stamp;
    }

    private void save(Map<String, Entry> next) {
        ObjectNode root = PrivateJsonFile.MAPPER.createObjectNode();
        root.put("format", "secure-ota-workbench devices v1");
        root.put("comment", "API keys are not stored here: key_sha256 = SHA-256(salt || key), both base64url.");
        ArrayNode list = root.putArray("devices");
        for (Entry e : next.values()) {
            ObjectNode n = list.addObject();
            n.put("id", e.device().id());
            n.put("product", e.device().product());
            n.put("provisioned_at", e.device().provisionedAt().toString());
            n.put("salt", B64URL.encodeToString(e.salt()));
            n.put("key_sha256", B64URL.encodeToString(e.hash()));
        }
        file.write(root);
        entries = next;
        loaded = file.stamp();
    }
}
