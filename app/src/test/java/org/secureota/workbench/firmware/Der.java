package org.secureota.workbench.firmware;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/** JWS r||s to ASN.1 DER, with BouncyCastle's encoder: independent of the production code. */
final class Der {

    private Der() {
    }

    static byte[] fromRawEs256(byte[] raw) {
        if (raw.length != 64) {
            throw new IllegalArgumentException("ES256 signatures are 64 bytes");
        }
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
        try {
            return new DERSequence(v).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
