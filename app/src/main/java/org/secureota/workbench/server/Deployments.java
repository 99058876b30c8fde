package org.secureota.workbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Which release each product, and optionally each single device, should run: the server's answer to
 * "is there an update for me?". Kept in {@code devices/deployments.json}:
 *
 * <pre>{"products": {"shop-display": "2.0.0"}, "devices": {"shop-display-01": "1.0.0"}}</pre>
 *
 * <p>A device entry overrides its product's entry (to pin one board, or to try a release on one
 * board first). Versions are checked against the published releases by whoever sets them (the CLI,
 * the GUI, a scenario; see {@link OtaServer#deploy}); the file is re-read when it changes on disk,
 * so {@code ./workbench server deploy} in another terminal takes effect on a running server.
 */
public final class Deployments {

    public static final String FILE_NAME = "deployments.json";

    /** A consistent copy of every deployment: product to version, device to version. */
    public record Snapshot(Map<String, String> products, Map<String, String> devices) {
        public Snapshot {
            products = Map.copyOf(products);
            devices = Map.copyOf(devices);
        }
    }

    private final PrivateJsonFile file;
    private final CopyOnWriteArrayList<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private TreeMap<String, String> products = new TreeMap<>();
    private TreeMap<String, String> devices = new TreeMap<>();
    private PrivateJsonFile.Stamp loaded;

    public Deployments(Path devicesDirectory) {
        this.file = new PrivateJsonFile(devicesDirectory.resolve(FILE_NAME));
    }

    public Path file() {
        return file.path();
    }

    /** Every device of {@code product} without an override should run {@code version}. */
    public void setProduct(String product, String version) {
        Names.requireProduct(product);
        requireVersion(version);
        update(() -> products.put(product, version));
    }

    /** {@code deviceId} should run {@code version}, whatever its product's deployment says. */
    public void setDevice(String deviceId, String version) {
        Names.requireDeviceId(deviceId);
        requireVersion(version);
        update(() -> devices.put(deviceId, version));
    }

    /** Removes a product's deployment: its devices are told that nothing newer exists. */
    public void clearProduct(String product) {
        update(() -> products.remove(product));
    }

    /** Removes a device's override: the device follows its product again. */
    public void clearDevice(String deviceId) {
        update(() -> devices.remove(deviceId));
    }

    /** The version {@code deviceId} (of {@code product}) should run: its override, else its product's. */
    public synchronized Optional<String> versionFor(String deviceId, String product) {
        refresh();
        String v = deviceId == null ? null : devices.get(deviceId);
        return Optional.ofNullable(v != null ? v : products.get(product));
    }

    public synchronized Snapshot snapshot() {
        refresh();
        return new Snapshot(products, devices);
    }

    /** Called with the new state after every change made through this object (for the GUI). */
    public void addListener(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Snapshot> listener) {
        listeners.remove(listener);
    }

    private void update(Runnable change) {
        Snapshot after;
        synchronized (this) {
            refresh();
            change.run();
            ObjectNode root = PrivateJsonFile.MAPPER.createObjectNode();
            products.forEach(root.putObject("products")::put);
            devices.forEach(root.putObject("devices")::put);
            file.write(root);
            loaded = file.stamp();
            after = new Snapshot(products, devices);
        }
        for (Consumer<Snapshot> l : listeners) {
            l.accept(after);
        }
    }

    private static void requireVersion(String version) {
        try {
            SemanticVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new ServerStateException(e.getMessage());
        }
    }

    private void refresh() {
        if (loaded != null && !file.changedSince(loaded)) {
            return;
        }
        PrivateJsonFile.Stamp stamp = file.stamp();
        JsonNode root = file.read();
        TreeMap<String, String> p = new TreeMap<>();
        TreeMap<String, String> d = new TreeMap<>();
        if (root != null) {
            readMap(root, "products", p, true);
            readMap(root, "devices", d, false);
        }
        products = p;
        devices = d;
        loaded = stamp;
    }

    private void readMap(JsonNode root, String name, Map<String, String> into, boolean productKeys) {
        JsonNode node = root.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new ServerStateException(file.path() + ": \"" + name + "\" must be an object mapping names to"
                    + " versions, such as {\"shop-display\": \"2.0.0\"}.");
        }
        node.properties().forEach(e -> {
            String key = e.getKey();
            String version = e.getValue().asText();
            boolean keyOk = Names.isValid(key);
            if (!keyOk || !e.getValue().isTextual() || !SemanticVersion.isValid(version)) {
                throw new ServerStateException(file.path() + ": the entry \"" + key + "\" in \"" + name
                        + "\" must map a " + (productKeys ? "product name" : "device id")
                        + " to a version such as \"2.0.0\" (found " + e.getValue() + ").");
            }
            into.put(key, version);
        });
    }
}
