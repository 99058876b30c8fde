package org.secureota.workbench.server;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.secureota.workbench.firmware.FreshnessStatement;
import org.secureota.workbench.firmware.Manifest;
import org.secureota.workbench.firmware.ManifestKeys;
import org.secureota.workbench.firmware.ManifestSigner;
import org.secureota.workbench.firmware.ManifestVerification;
import org.secureota.workbench.firmware.ManifestVerifier;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * {@code GET /api/v1/manifest?product=NAME&device=ID&current=VERSION}: the signed manifest of the
 * release deployed to this device (its own deployment, else its product's), or, when there is
 * nothing newer than {@code current}, a signed "nothing newer" statement ({@link FreshnessStatement},
 * valid one day): a bare 204 would let whoever answers freeze the device unnoticed. A server without
 * the signing key, or a request without {@code current}, still gets 204.
 *
 * <p>The body is the compact JWS exactly as the release store holds it ({@code application/jose}):
 * the server does not re-sign or re-check it, because the device is the one that must verify it, and
 * a tampered store is one of the attacks the device has to catch.
 *
 * <p>One exception: when the deployment that chose the release is the device's own (a per-device
 * deployment) and the server holds the signing key, it serves that release's manifest bound to the
 * device ({@code "device":ID}, same counter and validity), so that no other device of the product
 * can use it. It binds only a stored manifest whose signature verifies: a tampered one is served as
 * it is, for the device to refuse, never laundered by a fresh signature.
 */
final class ManifestApi {

    private final ServerState state;
    private final DeviceAuthenticator authenticator;
    private final Journal journal;
    private final Clock clock;
    private final PrivateKey signingKey;  // null: per-device manifests cannot be made
    private final boolean silent;         // the silent-server attack: 204 to every check

    ManifestApi(ServerState state, DeviceAuthenticator authenticator, Journal journal, Clock clock, PrivateKey signingKey,
                boolean silent) {
        this.silent = silent;
        this.state = state;
        this.authenticator = authenticator;
        this.journal = journal;
        this.clock = clock;
        this.signingKey = signingKey;
    }

    void handle(Request request, Response response, Callback callback) {
        Fields query;
        try {
            query = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            JsonResponses.error(response, callback, 400, "bad_query",
                    "The query string cannot be decoded (" + e.getMessage() + "). Send product=NAME&device=ID&current=VERSION.");
            return;
        }
        String deviceId = query.getValue("device");
        if (deviceId == null || !Names.isValid(deviceId)) {
            JsonResponses.error(response, callback, 400, "bad_device",
                    deviceId == null ? "The query needs device=ID, the id this device was provisioned with."
                            : "device=" + abbreviate(deviceId) + " is not a device id (1 to 64 letters, digits, '.', '_' or '-').");
            return;
        }
        Optional<ApiKeyRegistry.Device> authenticated =
                authenticator.authenticate(request, response, callback, deviceId, "manifest");
        if (authenticated.isEmpty()) {
            return;
        }
        ApiKeyRegistry.Device device = authenticated.get();
        if (silent) {
            event(device, "silent", "answered " + device.id() + " with a bare 204 (silent server: no signed statement)",
                    Map.of());
            JsonResponses.noContent(response, callback);
            return;
        }
        String product = query.getValue("product");
        if (product != null && !product.equals(device.product())) {
            event(device, "refused", "device " + device.id() + " asked for product " + abbreviate(product)
                    + " but is provisioned for " + device.product(), Map.of("asked_product", abbreviate(product)));
            JsonResponses.error(response, callback, 403, "wrong_product", "Device '" + device.id()
                    + "' is provisioned for product '" + device.product() + "', not '" + abbreviate(product)
                    + "'. Fix the device's configuration, or provision it again for the right product.");
            return;
        }
        String currentText = query.getValue("current");
        SemanticVersion current = null;
        if (currentText != null && !currentText.isEmpty()) {
            try {
                current = SemanticVersion.parse(currentText);
            } catch (IllegalArgumentException e) {
                JsonResponses.error(response, callback, 400, "bad_version", "current=" + abbreviate(currentText)
                        + ": " + e.getMessage() + ".");
                return;
            }
        }
        Optional<String> deployed = state.deployments().versionFor(device.id(), device.product());
        if (deployed.isEmpty()) {
            event(device, "none_deployed", "no release is deployed to " + device.id() + " or to " + device.product()
                    + nothingNewerText(current), currentField(currentText));
            nothingNewer(response, callback, device, current == null ? null : currentText);
            return;
        }
        SemanticVersion target = SemanticVersion.parse(deployed.get());
        if (current != null && !target.isNewerThan(current)) {
            Map<String, Object> f = new LinkedHashMap<>(currentField(currentText));
            f.put("deployed", deployed.get());
            event(device, "up_to_date", device.id() + " runs " + currentText + "; deployed is " + deployed.get()
                    + nothingNewerText(current), f);
            nothingNewer(response, callback, device, currentText);
            return;
        }
        Optional<Release> release = state.releases().find(device.product(), deployed.get());
        if (release.isEmpty()) {
            event(device, "missing_release", "deployment names " + device.product() + " " + deployed.get()
                    + " but no such release is published", Map.of("deployed", deployed.get()));
            response.getHeaders().put(HttpHeader.RETRY_AFTER, 60);
            JsonResponses.error(response, callback, 503, "release_missing", "The release deployed to this device ("
                    + device.product() + " " + deployed.get() + ") is not published on the server. The lab operator must"
                    + " publish it or deploy another version.");
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>(currentField(currentText));
        f.put("version", release.get().version());
        f.put("counter", release.get().counter());
        f.put("url", release.get().url());
        // Served anyway: refusing an expired manifest is the device's job, and a scenario may want to
        // show exactly that. The journal says so, so that nobody mistakes it for a server bug.
        boolean expired = release.get().expired(clock.instant());
        f.put("expired", expired);
        // Whether the image travels encrypted (esp_encrypted_img): the timeline and the device panel say so.
        f.put("encrypted", release.get().encrypted());
        if (release.get().encrypted()) {
            f.put("encryption", release.get().encryption().scheme().id());
        }
        String jws = release.get().jws();
        boolean ownDeployment = state.deployments().snapshot().devices().containsKey(device.id());
        if (ownDeployment && signingKey != null) {
            String bound = boundToDevice(jws, device.id(), release.get().issuedAt());
            f.put("bound_to_device", bound != null);
            if (bound != null) {
                jws = bound;
            }
        }
        event(device, "offered", "offered " + device.product() + " " + release.get().version() + " to " + device.id()
                + (Boolean.TRUE.equals(f.get("bound_to_device")) ? " (a manifest bound to this device)" : "")
                + (release.get().encrypted() ? " (encrypted, " + release.get().encryption().scheme().id() + ")" : "")
                + (expired ? " (its manifest expired at " + release.get().expiresAt() + "; the device must refuse it)" : ""), f);
        JsonResponses.text(response, callback, 200, "application/jose", jws);
    }

    /**
     * The stored manifest re-signed with {@code "device":deviceId}, or null when the stored one does
     * not verify with the lab's key (then it is served unchanged and the device refuses it).
     */
    private String boundToDevice(String storedJws, String deviceId, Instant issuedAt) {
        ManifestSigner signer = new ManifestSigner(signingKey);
        ManifestVerifier verifier = new ManifestVerifier(ManifestKeys.publicKeyOf(signingKey));
        // Checked at its own issue time: expiry is the device's call, the signature is the server's concern here.
        ManifestVerification v = verifier.verify(storedJws, issuedAt);
        if (!v.isAccepted()) {
            return null;
        }
        Manifest m = v.manifest();
        return signer.sign(m.forDevice(deviceId, m.issuedAt(), m.expiresAt(), m.counter())).compact();
    }

    /** A signed "nothing newer" when the server can sign one for this device's version, else 204. */
    private void nothingNewer(Response response, Callback callback, ApiKeyRegistry.Device device, String currentText) {
        if (signingKey == null || currentText == null || currentText.isEmpty()) {
            JsonResponses.noContent(response, callback);
            return;
        }
        Instant now = clock.instant();
        String jws = new FreshnessStatement(device.product(), device.id(), currentText, now,
                now.plus(FreshnessStatement.DEFAULT_VALIDITY)).sign(signingKey);
        JsonResponses.text(response, callback, 200, "application/jose", jws);
    }

    private String nothingNewerText(SemanticVersion current) {
        return signingKey != null && current != null ? " (signed \"nothing newer\", valid "
                + FreshnessStatement.DEFAULT_VALIDITY.toHours() + " h)" : " (unsigned 204)";
    }

    private static Map<String, Object> currentField(String currentText) {
        return currentText == null ? Map.of() : Map.of("current", abbreviate(currentText));
    }

    private void event(ApiKeyRegistry.Device device, String outcome, String message, Map<String, ?> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("outcome", outcome);
        fields.put("product", device.product());
        fields.putAll(extra);
        journal.append(EventType.SERVER_MANIFEST, device.id(), message, fields);
    }

    /** Query values are the client's; keep what goes into messages and the journal short. */
    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
