package org.secureota.workbench.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The three parts of a JWS compact serialization (RFC 7515 section 7.1), decoded but not verified.
 * Only what the manifest format allows gets through: three non-empty unpadded base64url parts, a
 * protected header that is a JSON object with exactly {@code alg}, {@code typ} and {@code kid}, and
 * a 64-byte signature.
 *
 * @param signingInput the ASCII bytes {@code BASE64URL(header) "." BASE64URL(payload)}, exactly as received
 */
record JwsCompact(String alg, String typ, String kid, byte[] signingInput, byte[] payload, byte[] signature) {

    static final String ALGORITHM = "ES256";
    static final String TYPE = "ota-manifest+jws";
    static final int SIGNATURE_SIZE = 64;
    /** A manifest is a few hundred bytes; anything far larger is not one, and is not decoded. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ", "kid");

    /** A refusal found while decoding; carries its code. */
    static final class Refused extends Exception {
        final ManifestRefusal code;

        Refused(ManifestRefusal code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    static JwsCompact parse(String compact) throws Refused {
        if (compact == null) {
            throw malformed("no manifest text");
        }
        String text = compact.strip();
        if (text.length() > MAX_LENGTH) {
            throw malformed("the manifest is " + text.length() + " characters; a signed manifest is well under "
                    + MAX_LENGTH);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            throw malformed("a JWS compact serialization has 3 dot-separated parts (header.payload.signature), found "
                    + parts.length + (parts.length == 5 ? " (that is a JWE, an encrypted token, not a signed manifest)" : ""));
        }
        // The header is decoded and its alg checked first, so that 'alg: none' with an empty signature
        // is reported as the algorithm refusal it is, not as a malformed signature.
        JsonNode header;
        try {
            header = Manifest.STRICT_JSON.readTree(base64url(parts[0], "header"));
        } catch (java.io.IOException e) {
            throw malformed("the protected header is not JSON: " + Manifest.firstLine(e.getMessage()));
        }
        if (header == null || !header.isObject()) {
            throw malformed("the protected header is not a JSON object");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw malformed("the protected header has no 'alg' string");
        }
        if (!ALGORITHM.equals(alg.textValue())) {
            throw new Refused(ManifestRefusal.ALGORITHM_NOT_ALLOWED, "the header's alg is '" + alg.textValue()
                    + "'; only ES256 is accepted (never 'none', never a MAC or another curve), so the device and the"
                    + " workbench agree on one verification path");
        }
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!HEADER_FIELDS.contains(field)) {
                throw malformed("the protected header has a '" + field + "' parameter; only alg, typ and kid are"
                        + " allowed (a verifier uses its provisioned key, never a key or URL named by the message,"
                        + " and 'crit' extensions are not understood)");
            }
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual() || !TYPE.equals(typ.textValue())) {
            throw malformed("the header's typ is " + (typ == null ? "missing" : "'" + typ.asText() + "'")
                    + ", expected '" + TYPE + "': a JWS made for another purpose is not a manifest, even if signed"
                    + " by the same key");
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isTextual()) {
            throw malformed("the protected header has no 'kid' string");
        }
        byte[] payload = base64url(parts[1], "payload");
        byte[] signature = base64url(parts[2], "signature");
        if (signature.length != SIGNATURE_SIZE) {
            throw malformed("the ES256 signature is " + signature.length + " bytes; JWS ES256 is 64 bytes r||s"
                    + " (a 70-odd byte signature is DER, which JWS does not use)");
        }
        int dot = text.indexOf('.', parts[0].length() + 1);
        byte[] signingInput = text.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
        return new JwsCompact(alg.textValue(), typ.textValue(), kid.textValue(), signingInput, payload, signature);
    }

    private static byte[] base64url(String part, String name) throws Refused {
        if (part.isEmpty()) {
            throw malformed("the " + name + " part is empty");
        }
        if (!BASE64URL.matcher(part).matches()) {
            throw malformed("the " + name + " part is not unpadded base64url (only A-Z a-z 0-9 - _, no '=' padding,"
                    + " no '+' or '/')");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed("the " + name + " part is not valid base64url (" + e.getMessage() + ")");
        }
        // The JDK decoder ignores non-zero bits in the last character; requiring the one canonical
        // encoding keeps a manifest from having several spellings that all verify.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
            throw malformed("the " + name + " part is not canonical base64url (unused bits in its last character are set)");
        }
        return bytes;
    }

    private static Refused malformed(String reason) {
        return new Refused(ManifestRefusal.MALFORMED, reason);
    }
}
