package org.secureota.workbench.firmware;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Verifies signed manifests against the one trusted key, in the order a device does, and says why
 * when it refuses:
 *
 * <ol>
 *   <li>envelope: three canonical base64url parts, header JSON with exactly alg/typ/kid, 64-byte
 *       signature ({@link ManifestRefusal#MALFORMED}); {@code alg} exactly {@code ES256}
 *       ({@link ManifestRefusal#ALGORITHM_NOT_ALLOWED});</li>
 *   <li>r and s in [1, n-1], then the ES256 signature over the received {@code header.payload} bytes with the trusted key
 *       ({@link ManifestRefusal#WRONG_KEY} when the header names another key, else
 *       {@link ManifestRefusal#BAD_SIGNATURE}). The payload is not parsed before this step;</li>
 *   <li>the payload is a valid v1 manifest ({@link ManifestRefusal#PAYLOAD_INVALID});</li>
 *   <li>time: {@code issued_at} not in the future beyond {@link #CLOCK_SKEW}
 *       ({@link ManifestRefusal#NOT_YET_VALID}), {@code expires_at} not reached
 *       ({@link ManifestRefusal#EXPIRED});</li>
 *   <li>optionally, the image: size, SHA-256 (compared in constant time), version and secure_version
 *       ({@link ManifestRefusal#IMAGE_MISMATCH}).</li>
 * </ol>
 *
 * The counter and secure_version checks against a device's stored state belong to the device, which
 * holds that state; this class checks what any holder of the public key can check.
 */
public final class ManifestVerifier {

    /** How far {@code issued_at} may be ahead of the verifier's clock: clocks of small devices drift. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final PublicKey trustedKey;
    private final String trustedKeyId;

    public ManifestVerifier(PublicKey trustedKey) {
        ManifestKeys.requireP256(trustedKey);
        this.trustedKey = trustedKey;
        this.trustedKeyId = ManifestKeys.keyId(trustedKey);
    }

    public String trustedKeyId() {
        return trustedKeyId;
    }

    /** Envelope, signature, payload and time. */
    public ManifestVerification verify(String compact, Instant now) {
        Objects.requireNonNull(now, "now");
        JwsCompact jws;
        try {
            jws = JwsCompact.parse(compact);
        } catch (JwsCompact.Refused e) {
            return ManifestVerification.refused(e.code, e.getMessage(), null);
        }
        String outOfRange = scalarOutOfRange(jws.signature());
        if (outOfRange != null) {
            return ManifestVerification.refused(ManifestRefusal.BAD_SIGNATURE, outOfRange, null);
        }
        if (!signatureVerifies(jws)) {
            if (!MessageDigest.isEqual(jws.kid().getBytes(StandardCharsets.UTF_8),
                    trustedKeyId.getBytes(StandardCharsets.UTF_8))) {
                return ManifestVerification.refused(ManifestRefusal.WRONG_KEY, "the signature does not verify with"
                        + " the trusted key (kid " + trustedKeyId + "); the manifest names key '" + jws.kid()
                        + "': it was signed by another key, e.g. another lab's or an attacker's", null);
            }
            return ManifestVerification.refused(ManifestRefusal.BAD_SIGNATURE, "the ES256 signature does not verify"
                    + " with the trusted key (kid " + trustedKeyId + "): the header or payload was modified after"
                    + " signing, or the signature belongs to another manifest", null);
        }
        if (highS(jws.signature())) {
            // Checked after the signature, so that a forgery is reported as one whatever its s.
            return ManifestVerification.refused(ManifestRefusal.MALFORMED, "the signature's s is in the upper half"
                    + " of the curve order (high-s): a malleated copy (r, n - s) of a valid signature; the lab's"
                    + " signers write low-s only, so this manifest was re-encoded by someone else", null);
        }
        Manifest manifest;
        try {
            manifest = Manifest.fromJson(jws.payload());
        } catch (IllegalArgumentException e) {
            return ManifestVerification.refused(ManifestRefusal.PAYLOAD_INVALID, "the signature is good but the"
                    + " payload is not a valid v1 manifest: " + e.getMessage(), null);
        }
        if (manifest.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            return ManifestVerification.refused(ManifestRefusal.NOT_YET_VALID, "issued_at " + manifest.issuedAt()
                    + " is in the future (now " + now + ", allowed skew " + CLOCK_SKEW.toMinutes() + " min): check"
                    + " the clock of the signer and of this machine", manifest);
        }
        if (!now.isBefore(manifest.expiresAt())) {
            return ManifestVerification.refused(ManifestRefusal.EXPIRED, "expired at " + manifest.expiresAt()
                    + " (now " + now + "): a replayed or frozen manifest is refused; publish the release again"
                    + " for a fresh one", manifest);
        }
        return ManifestVerification.accepted(manifest);
    }

    /** {@link #verify(String, Instant)}, then the image against the manifest. */
    public ManifestVerification verify(String compact, Instant now, byte[] image) {
        ManifestVerification result = verify(compact, now);
        if (!result.isAccepted()) {
            return result;
        }
        return checkImage(result.manifest(), image);
    }

    /**
     * Whether {@code image} is the one {@code manifest} describes: exact size, SHA-256, and the
     * version and secure_version inside its {@code esp_app_desc_t}.
     */
    public static ManifestVerification checkImage(Manifest manifest, byte[] image) {
        if (image.length != manifest.size()) {
            return ManifestVerification.refused(ManifestRefusal.IMAGE_MISMATCH, "the image is " + image.length
                    + " bytes, the manifest says " + manifest.size(), manifest);
        }
        byte[] actual = AppImage.sha256(image, 0, image.length);
        byte[] expected = HexFormat.of().parseHex(manifest.sha256());
        if (!MessageDigest.isEqual(actual, expected)) {
            return ManifestVerification.refused(ManifestRefusal.IMAGE_MISMATCH, "the image's SHA-256 is "
                    + HexFormat.of().formatHex(actual) + ", the manifest says " + manifest.sha256()
                    + ": the image was replaced or modified", manifest);
        }
        // The hash matched, so this is the very file that was signed; a publisher that skipped image
        // validation could still have signed a file whose descriptor disagrees with the manifest.
        AppImage parsed = AppImage.parse(image);
        if (parsed.descriptor().isEmpty()) {
            return ManifestVerification.refused(ManifestRefusal.IMAGE_MISMATCH, "the image has no readable"
                    + " esp_app_desc_t, so its version cannot be checked against the manifest", manifest);
        }
        AppDescriptor app = parsed.descriptor().get();
        if (!app.version().equals(manifest.version())) {
            return ManifestVerification.refused(ManifestRefusal.IMAGE_MISMATCH, "the image's esp_app_desc_t.version"
                    + " is '" + app.version() + "', the manifest says '" + manifest.version() + "'", manifest);
        }
        if (app.secureVersion() != manifest.secureVersion()) {
            return ManifestVerification.refused(ManifestRefusal.IMAGE_MISMATCH, "the image's secure_version is "
                    + app.secureVersion() + ", the manifest says " + manifest.secureVersion(), manifest);
        }
        return ManifestVerification.accepted(manifest);
    }

    /**
     * r and s must both lie in [1, n-1]. The JDK checks this too, but JDK 15 to 18.0.0 did not
     * (CVE-2022-21449, "psychic signatures": r = s = 0 verified for any message), so the check is
     * made here as well, independent of the provider.
     */
    static String scalarOutOfRange(byte[] rs) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
        for (BigInteger v : new BigInteger[] {r, s}) {
            if (v.signum() == 0 || v.compareTo(ManifestKeys.P256_ORDER) >= 0) {
                return "the signature's " + (v == r ? "r" : "s") + " is " + (v.signum() == 0 ? "zero" : "not below the"
                        + " curve order") + ": no valid ES256 signature looks like that (the CVE-2022-21449"
                        + " 'psychic signature' forgery uses r = s = 0)";
            }
        }
        return null;
    }

    /** s above n/2: the twin of a low-s signature (docs/manifest.md, rule 4). */
    static boolean highS(byte[] rs) {
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
        return s.compareTo(ManifestKeys.P256_ORDER.shiftRight(1)) > 0;
    }

    private boolean signatureVerifies(JwsCompact jws) {
        try {
            Signature ecdsa = Signature.getInstance(ManifestSigner.JDK_ALGORITHM);
            ecdsa.initVerify(trustedKey);
            ecdsa.update(jws.signingInput());
            return ecdsa.verify(jws.signature());
        } catch (GeneralSecurityException e) {
            // SunEC reports some malformed signatures (r or s out of range) by exception: still a bad signature.
            return false;
        }
    }
}
