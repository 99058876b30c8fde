package org.secureota.workbench.firmware;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.HexFormat;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Key identity and key checks for ES256 manifest keys (ECDSA P-256). */
public final class ManifestKeys {

    /** The order n of P-256's base point (FIPS 186-4, D.1.2.3). */
    static final BigInteger P256_ORDER =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private ManifestKeys() {
    }

    /**
     * The {@code kid} of a key: the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo DER
     * (what {@code openssl pkey -pubin -outform DER} prints), so anyone can recompute it from
     * {@code signing-pub.pem}.
     */
    public static String keyId(PublicKey key) {
        requireP256(key);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /**
     * The public key of a P-256 private key (Q = d·G). The lab's PEM files hold PKCS#8 keys, which the
     * JDK reads without their public part, and the signer needs it for {@code kid}.
     */
    public static PublicKey publicKeyOf(PrivateKey key) {
        requireP256(key);
        ECPrivateKey ec = (ECPrivateKey) key;
        org.bouncycastle.jce.spec.ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        ECMultiplier multiplier = new FixedPointCombMultiplier();
        org.bouncycastle.math.ec.ECPoint q = multiplier.multiply(curve.getG(), ec.getS()).normalize();
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, ec.getParams()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key of the signing key: " + e.getMessage(), e);
        }
    }

    /** ES256 means P-256 and nothing else: a P-384 or RSA key is refused before anything is signed with it. */
    static void requireP256(java.security.Key key) {
        if (!(key instanceof ECKey ec) || !ec.getParams().getOrder().equals(P256_ORDER)) {
            throw new IllegalArgumentException("ES256 needs an ECDSA P-256 key, got " + (key == null ? "none"
                    : key.getAlgorithm() + (key instanceof ECKey e ? " on a " + e.getParams().getOrder().bitLength()
                    + "-bit curve" : "")) + ". Use the lab's certs/signing-key.pem ('./workbench pki init').");
        }
    }
}
