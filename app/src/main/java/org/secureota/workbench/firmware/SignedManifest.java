package org.secureota.workbench.firmware;

import java.util.Objects;

/**
 * A manifest and its JWS compact serialization, as the signer made it or as read from a file.
 *
 * @param compact  {@code BASE64URL(header).BASE64URL(payload).BASE64URL(signature)}: what is stored
 *                 in {@code <product>-<version>.jws} and served with {@code Content-Type: application/jose}
 * @param manifest the payload
 * @param keyId    the header's {@code kid}
 */
public record SignedManifest(String compact, Manifest manifest, String keyId) {

    public SignedManifest {
        Objects.requireNonNull(compact, "compact");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(keyId, "keyId");
    }

    /**
     * Decodes a compact JWS <em>without checking its signature</em>: for the release store's index
     * and for display. Anything that acts on a manifest uses {@link ManifestVerifier}.
     *
     * @throws FirmwareFormatException when it is not a well-formed ES256 manifest
     */
    public static SignedManifest parseUnverified(String compact) {
        JwsCompact jws;
        try {
            jws = JwsCompact.parse(compact);
        } catch (JwsCompact.Refused e) {
            throw new FirmwareFormatException(e.code + ": " + e.getMessage());
        }
        try {
            return new SignedManifest(compact.strip(), Manifest.fromJson(jws.payload()), jws.kid());
        } catch (IllegalArgumentException e) {
            throw new FirmwareFormatException(ManifestRefusal.PAYLOAD_INVALID + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return compact;
    }
}
