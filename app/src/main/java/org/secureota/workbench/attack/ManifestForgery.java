package org.secureota.workbench.attack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.secureota.workbench.firmware.Manifest;
import org.secureota.workbench.firmware.ManifestSigner;

/** Manifests an attacker can produce: signed with a key of their own, or with a confused algorithm. */
final class ManifestForgery {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ManifestForgery() {
    }

    /** A properly formed ES256 manifest signed with {@code key} (the lab's key, or an attacker's). */
    static String sign(Manifest manifest, PrivateKey key) {
        return new ManifestSigner(key).sign(manifest).compact();
    }

    /** A fresh P-256 key that no device trusts. */
    static PrivateKey attackerKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair().getPrivate();
    }

    /**
     * The genuine payload under a header naming {@code alg}: {@code HS256} is keyed with the PEM file of the
     * device's own public key (the classic confusion: a verifier that feeds "the key" to whatever algorithm the
     * header names accepts it); {@code none} keeps the genuine signature, hoping the verifier skips it.
     */
    static String confuse(String genuineJws, String alg, byte[] publicKeyPem) throws GeneralSecurityException {
        String[] parts = genuineJws.strip().split("\\.");
        String header = B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"ota-manifest+jws\"}")
                .getBytes(StandardCharsets.US_ASCII));
        String input = header + "." + parts[1];
        if ("none".equals(alg)) {
            return input + "." + parts[2];
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKeyPem, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
