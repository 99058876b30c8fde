package org.secureota.workbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.secureota.workbench.foundation.AtomicFiles;

/**
 * What each device last told the server about itself, so that {@code server status} (and anyone
 * deciding what to deploy) sees that a device rolled back instead of believing the last
 * {@code installed}. Kept in {@code devices/device-status.json}, written on every accepted report:
 *
 * <pre>{"devices": {"dev-1": {"event": "rolled_back", "version": "4.0.0", "verdict": null,
 *   "running_version": "1.0.0", "at": "2026-11-30T17:02:17Z"}}}</pre>
 *
 * <p>The values come from the network: they are checked by {@link DeviceReports} (event from the
 * fixed list, versions semantic, verdict an upper-case code) before they get here.
 */
public final class DeviceStatuses {

    public static final String FILE_NAME = "device-status.json";

    /**
     * One device's last report: {@code event} (installed, refused, rolled_back...), the
     * {@code version} it concerned, the device's {@code verdict} code and the version it said it
     * was running, each {@code null} when the report did not say.
     */
    public record Status(String event, String version, String verdict, String runningVersion, Instant at) {
    }

    private final PrivateJsonFile file;
    private final Clock clock;

    public DeviceStatuses(Path devicesDirectory) {
        this(devicesDirectory, Clock.systemUTC());
    }

    public DeviceStatuses(Path devicesDirectory, Clock clock) {
        this.file = new PrivateJsonFile(devicesDirectory.resolve(FILE_NAME));
        this.clock = clock;
    }

    public Path file() {
        return file.path();
    }

    /** Records {@code deviceId}'s latest report, replacing the previous one. */
    public synchronized void record(String deviceId, String event, String version, String verdict,
            String runningVersion) {
        Names.requireDeviceId(deviceId);
        TreeMap<String, Status> all = read();
        all.put(deviceId, new Status(event, version, verdict, runningVersion, clock.instant()));
        ObjectNode root = PrivateJsonFile.MAPPER.createObjectNode();
        ObjectNode devices = root.putObject("devices");
        all.forEach((id, s) -> {
            ObjectNode n = devices.putObject(id);
            n.put("event", s.event());
            n.put("version", s.version());
            n.put("verdict", s.verdict());
            n.put("running_version", s.runningVersion());
            n.put("at", s.at().toString());
        });
        // Written before the report's answer, which the device waits for before it restarts: a disk flush here
        // took 5 ms of every update (up to 40 under load). The journal holds the same report with the same
        // promise (on disk if the process dies), and the device's next report writes this record again.
        file.write(root, AtomicFiles.Durability.PROCESS_DEATH);
    }

    public synchronized Optional<Status> find(String deviceId) {
        return Optional.ofNullable(read().get(deviceId));
    }

    public synchronized Map<String, Status> snapshot() {
        return Map.copyOf(read());
    }

    private TreeMap<String, Status> read() {
        TreeMap<String, Status> all = new TreeMap<>();
        JsonNode root = file.read();
        if (root == null) {
            return all;
        }
        JsonNode devices = root.path("devices");
        if (!devices.isObject()) {
            throw new ServerStateException(file.path() + " has no \"devices\" object. Delete it: the devices' next"
                    + " reports write it again.");
        }
        devices.properties().forEach(e -> {
            JsonNode n = e.getValue();
            try {
                all.put(e.getKey(), new Status(text(n, "event"), text(n, "version"), text(n, "verdict"),
                        text(n, "running_version"), Instant.parse(n.path("at").asText())));
            } catch (DateTimeParseException ex) {
                throw new ServerStateException(file.path() + ": the entry \"" + e.getKey() + "\" has no valid \"at\""
                        + " time. Delete the file: the devices' next reports write it again.", ex);
            }
        });
        return all;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
