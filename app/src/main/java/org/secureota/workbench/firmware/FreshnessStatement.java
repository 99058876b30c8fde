package org.secureota.workbench.firmware;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * The server's signed "nothing newer" answer to a manifest request (docs/manifest.md, "Signed
 * freshness"): a compact JWS, ES256 with the manifest-signing key, header
 * {@code {"alg":"ES256","typ":"ota-freshness+jws","kid":...}}, payload exactly
 * {@code v, product, device, current, issued_at, expires_at}. Without it a server, or anyone holding
 * its TLS key, could freeze a device by answering every check with an unsigned 204.
 *
 * <p>There is no nonce: {@code issued_at} is the counter (a device accepts no statement older than
 * the latest it accepted) and {@code expires_at} bounds a replay to the statement's own validity.
 */
public record FreshnessStatement(String product, String device, String current, Instant issuedAt, Instant expiresAt) {

    public static final String TYPE = "ota-freshness+jws";
    /** How long a statement is valid unless the server is told otherwise. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);
    /** The longest validity a device accepts. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);
    public static final List<String> FIELDS = List.of("v", "product", "device", "current", "issued_at", "expires_at");

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public FreshnessStatement {
        if (!expiresAt.isAfter(issuedAt) || Duration.between(issuedAt, expiresAt).compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("a freshness statement is valid for more than 0 s and at most "
                    + MAX_VALIDITY.toDays() + " days, not from " + issuedAt + " to " + expiresAt);
        }
    }

    /** The compact JWS, signed with low-s like a manifest. */
    public String sign(PrivateKey signingKey) {
        ManifestKeys.requireP256(signingKey);
        ObjectNode header = Manifest.STRICT_JSON.createObjectNode();
        header.put("alg", JwsCompact.ALGORITHM);
        header.put("typ", TYPE);
        header.put("kid", ManifestKeys.keyId(ManifestKeys.publicKeyOf(signingKey)));
        ObjectNode payload = Manifest.STRICT_JSON.createObjectNode();
        payload.put("v", 1);
        payload.put("product", product);
        payload.put("device", device);
        payload.put("current", current);
        payload.put("issued_at", issuedAt.getEpochSecond());
        payload.put("expires_at", expiresAt.getEpochSecond());
        try {
            String input = B64.encodeToString(Manifest.STRICT_JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(Manifest.STRICT_JSON.writeValueAsBytes(payload));
            byte[] signature = ManifestSigner.signRaw(signingKey, input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode of strings and numbers always serializes", e);
        }
    }

    /**
     * Reads back a statement whose signature verifies with {@code key} and whose header and payload
     * are exactly the documented ones (what the workbench's tests and tools need; the device has its
     * own verifier).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FreshnessStatement verify(String compact, PublicKey key) {
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a compact JWS has three parts, this has " + parts.length);
        }
        try {
            JsonNode header = Manifest.STRICT_JSON.readTree(B64D.decode(parts[0]));
            if (header.size() != 3 || !JwsCompact.ALGORITHM.equals(header.path("alg").asText())
                    || !TYPE.equals(header.path("typ").asText()) || !header.path("kid").isTextual()) {
                throw new IllegalArgumentException("header is not {alg ES256, typ " + TYPE + ", kid}: " + header);
            }
            Signature ecdsa = Signature.getInstance(ManifestSigner.JDK_ALGORITHM);
            ecdsa.initVerify(key);
            ecdsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!ecdsa.verify(B64D.decode(parts[2]))) {
                throw new IllegalArgumentException("the signature does not verify with the given key");
            }
            JsonNode p = Manifest.STRICT_JSON.readTree(B64D.decode(parts[1]));
            for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new IllegalArgumentException("payload field '" + name + "' is not one of " + FIELDS);
                }
            }
            if (p.size() != FIELDS.size() || p.path("v").asInt() != 1) {
                throw new IllegalArgumentException("payload must hold exactly " + FIELDS + " with v = 1");
            }
            return new FreshnessStatement(p.path("product").asText(), p.path("device").asText(), p.path("current").asText(),
                    Instant.ofEpochSecond(p.path("issued_at").asLong()), Instant.ofEpochSecond(p.path("expires_at").asLong()));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("not a readable freshness statement: " + e.getMessage(), e);
        }
    }
}
