package org.secureota.workbench.firmware;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a signed manifest: accepted with its payload, or refused with a stable
 * code and a reason a person can act on.
 *
 * @param manifest the payload, when the signature verified (also for EXPIRED, NOT_YET_VALID and
 *                 IMAGE_MISMATCH, so the refusal can be explained); null otherwise
 * @param refusal  null when accepted
 * @param reason   one sentence: what was found and why it is refused; "accepted" when accepted
 */
public record ManifestVerification(Manifest manifest, ManifestRefusal refusal, String reason) {

    public ManifestVerification {
        Objects.requireNonNull(reason, "reason");
    }

    public static ManifestVerification accepted(Manifest manifest) {
        return new ManifestVerification(Objects.requireNonNull(manifest), null, "accepted");
    }

    public static ManifestVerification refused(ManifestRefusal refusal, String reason, Manifest manifestOrNull) {
        return new ManifestVerification(manifestOrNull, Objects.requireNonNull(refusal), reason);
    }

    public boolean isAccepted() {
        return refusal == null;
    }

    public Optional<ManifestRefusal> refusalCode() {
        return Optional.ofNullable(refusal);
    }

    /** The payload, whose signature verified; empty when the signature did not. */
    public Optional<Manifest> verifiedManifest() {
        return Optional.ofNullable(manifest);
    }

    @Override
    public String toString() {
        return isAccepted() ? "accepted" : refusal + ": " + reason;
    }
}
