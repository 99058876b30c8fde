package org.secureota.workbench.server;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.firmware.ReleaseStore;
import org.secureota.workbench.foundation.LabFolder;

/**
 * The OTA server's persistent state in a lab, and the checked operations on it: published releases
 * ({@code releases/}), provisioned devices and their key hashes ({@code devices/devices.json}),
 * deployments ({@code devices/deployments.json}) and each device's last report
 * ({@code devices/device-status.json}).
 *
 * <p>It works with or without a running {@link OtaServer}: the CLI's {@code server} commands, the
 * GUI and scenarios change it, and a running server sees the change on the next request.
 */
public final class ServerState {

    private final ReleaseStore releases;
    private final ApiKeyRegistry apiKeys;
    private final Deployments deployments;
    private final DeviceStatuses deviceStatuses;

    public ServerState(ReleaseStore releases, ApiKeyRegistry apiKeys, Deployments deployments) {
        this(releases, apiKeys, deployments, new DeviceStatuses(deployments.file().getParent()));
    }

    public ServerState(ReleaseStore releases, ApiKeyRegistry apiKeys, Deployments deployments,
            DeviceStatuses deviceStatuses) {
        this.releases = releases;
        this.apiKeys = apiKeys;
        this.deployments = deployments;
        this.deviceStatuses = deviceStatuses;
    }

    /** The state kept in {@code lab}'s {@code releases/} and {@code devices/} folders. */
    public static ServerState of(LabFolder lab) {
        return new ServerState(new ReleaseStore(lab.releases()), new ApiKeyRegistry(lab.devices()),
                new Deployments(lab.devices()));
    }

    public ReleaseStore releases() {
        return releases;
    }

    public ApiKeyRegistry apiKeys() {
        return apiKeys;
    }

    public Deployments deployments() {
        return deployments;
    }

    /** What each device last reported: version, event (its state) and verdict. */
    public DeviceStatuses deviceStatuses() {
        return deviceStatuses;
    }

    /** Provisions {@code deviceId} for {@code product} and returns its API key (shown once, stored hashed). */
    public String provision(String deviceId, String product) {
        return apiKeys.register(deviceId, product);
    }

    /** Deploys a published release to every device of its product; refuses a release that is not published. */
    public Release deploy(String product, String version) {
        Release release = requireRelease(product, version);
        deployments.setProduct(product, version);
        return release;
    }

    /** Deploys a published release of the device's product to that device only. */
    public Release deployToDevice(String deviceId, String version) {
        ApiKeyRegistry.Device device = apiKeys.find(deviceId).orElseThrow(() -> new ServerStateException(
                "Device '" + deviceId + "' is not provisioned. Run 'server add-device " + deviceId
                + " --product NAME' first, or check the id with 'server status'."));
        Release release = requireRelease(device.product(), version);
        deployments.setDevice(deviceId, version);
        return release;
    }

    /** The release that {@code device} should run now, if one is deployed and published. */
    public Optional<Release> deployedRelease(ApiKeyRegistry.Device device) {
        return deployments.versionFor(device.id(), device.product())
                .flatMap(v -> releases.find(device.product(), v));
    }

    private Release requireRelease(String product, String version) {
        try {
            SemanticVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new ServerStateException(e.getMessage());
        }
        return releases.find(product, version).orElseThrow(() -> {
            List<Release> all = releases.list();
            String published = all.stream().filter(r -> r.product().equals(product)).map(Release::version)
                    .collect(Collectors.joining(", "));
            return new ServerStateException("No release " + product + " " + version + " is published in "
                    + "the lab. " + (published.isEmpty()
                        ? "Product '" + product + "' has no release yet: publish one with 'firmware publish' first."
                        : "Published versions of " + product + ": " + published + "."));
        });
    }
}
