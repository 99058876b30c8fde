package org.secureota.workbench.firmware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs manifests as JWS compact serialization with ES256 (RFC 7515, RFC 7518 section 3.4).
 *
 * <p>The JDK's {@code SHA256withECDSA} produces an ASN.1 DER {@code SEQUENCE { r, s }}; JWS wants the
 * two integers as fixed 32-byte big-endian values, {@code r || s}. The JDK's
 * {@code SHA256withECDSAinP1363Format} is that exact encoding (IEEE P1363), so it is used instead of
 * hand-converting DER; the tests convert back to DER independently and let {@code openssl} verify.
 */
public final class ManifestSigner {

    static final String JDK_ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final String keyId;

    public ManifestSigner(PrivateKey signingKey) {
        ManifestKeys.requireP256(signingKey);
        this.key = signingKey;
        this.keyId = ManifestKeys.keyId(ManifestKeys.publicKeyOf(signingKey));
    }

    public String keyId() {
        return keyId;
    }

    public SignedManifest sign(Manifest manifest) {
        String signingInput = B64.encodeToString(protectedHeader(keyId)) + "." + B64.encodeToString(manifest.toJson());
        byte[] signature = signRaw(key, signingInput.getBytes(StandardCharsets.US_ASCII));
        return new SignedManifest(signingInput + "." + B64.encodeToString(signature), manifest, keyId);
    }

    /** {@code {"alg":"ES256","typ":"ota-manifest+jws","kid":"..."}}, in that order. */
    static byte[] protectedHeader(String keyId) {
        ObjectNode header = Manifest.STRICT_JSON.createObjectNode();
        header.put("alg", JwsCompact.ALGORITHM);
        header.put("typ", JwsCompact.TYPE);
        header.put("kid", keyId);
        try {
            return Manifest.STRICT_JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode of strings always serializes", e);
        }
    }

    /**
     * {@code (r, s)} and {@code (r, n - s)} both verify; docs/manifest.md allows only the low one
     * ({@code s <= n/2}), so that a manifest has one spelling and devices refuse the malleated twin.
     */
    static byte[] lowS(byte[] rs) {
        java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64));
        if (s.compareTo(ManifestKeys.P256_ORDER.shiftRight(1)) <= 0) {
            return rs;
        }
        byte[] low = ManifestKeys.P256_ORDER.subtract(s).toByteArray();
        byte[] out = rs.clone();
        java.util.Arrays.fill(out, 32, 64, (byte) 0);
        int n = Math.min(low.length, 32);
        System.arraycopy(low, low.length - n, out, 64 - n, n);
        return out;
    }

    /** ES256 over {@code data}: 64 bytes {@code r || s}, with the low s. */
    static byte[] signRaw(PrivateKey key, byte[] data) {
        try {
            Signature ecdsa = Signature.getInstance(JDK_ALGORITHM);
            ecdsa.initSign(key);
            ecdsa.update(data);
            byte[] signature = ecdsa.sign();
            if (signature.length != JwsCompact.SIGNATURE_SIZE) {
                throw new IllegalStateException("ES256 signature of " + signature.length + " bytes, expected 64");
            }
            return lowS(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
        }
    }
}
