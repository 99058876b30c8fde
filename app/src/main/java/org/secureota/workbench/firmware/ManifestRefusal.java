package org.secureota.workbench.firmware;

/**
 * Why a signed manifest was refused. The names are stable: scenarios, the journal and the firmware
 * side's tests match on them, so add new codes rather than renaming these.
 */
public enum ManifestRefusal {
    /** Not a JWS compact serialization this format accepts: part count, base64url, JSON, header fields, signature length. */
    MALFORMED,
    /** The protected header's {@code alg} is not {@code ES256} (this includes {@code none}). */
    ALGORITHM_NOT_ALLOWED,
    /** The signature does not verify, and the header names another key ({@code kid}): signed by someone else. */
    WRONG_KEY,
    /** The signature does not verify with the trusted key, which the header names: header, payload or signature changed. */
    BAD_SIGNATURE,
    /** The signature is good but the payload is not a valid v1 manifest (missing field, wrong type, bad value). */
    PAYLOAD_INVALID,
    /** {@code expires_at} has passed. */
    EXPIRED,
    /** {@code issued_at} is in the future, beyond the allowed clock skew. */
    NOT_YET_VALID,
    /** The image's size, SHA-256, version or secure_version differ from the manifest's. */
    IMAGE_MISMATCH
}
