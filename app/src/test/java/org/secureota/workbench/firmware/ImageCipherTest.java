package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Tag;

/**
 * The esp_encrypted_img format: vectors made by Espressif's own {@code esp_enc_img_gen.py} (see
 * {@code encrypted/README.md} in the test resources), round trips, and one refusal per way a file can
 * be wrong.
 */
@Tag("unit")
class ImageCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final KeyPair ECIES = DecryptionKeys.generate(EncryptionScheme.ECIES_P256, RANDOM);
    private static final KeyPair RSA = DecryptionKeys.generate(EncryptionScheme.RSA_3072, RANDOM);

    static byte[] resource(String name) {
        try (InputStream in = ImageCipherTest.class.getResourceAsStream("encrypted/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource encrypted/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] pemBody(String name) {
        String pem = new String(resource(name), StandardCharsets.US_ASCII);
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    static PrivateKey privateKey(String name, String algorithm) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pemBody(name)));
    }

    static PublicKey publicKey(String name, String algorithm) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(pemBody(name)));
    }

    static KeyPair keys(EncryptionScheme scheme) {
        return scheme == EncryptionScheme.ECIES_P256 ? ECIES : RSA;
    }

    static byte[] plaintext(int size) {
        byte[] p = new byte[size];
        RANDOM.nextBytes(p);
        return p;
    }

    @Test
    void decryptsTheEciesVectorMadeByEspressifsTool() throws Exception {
        byte[] file = resource("plain.ecies-by-esp-tool.bin");
        byte[] plain = ImageCipher.decrypt(file, privateKey("ecies-device-key.pem", "EC"));
        assertThat(plain).isEqualTo(resource("plain.bin"));
        assertThat(EncryptedImageHeader.parse(file).apparentScheme()).isEqualTo(EncryptionScheme.ECIES_P256);
    }

    @Test
    void decryptsTheRsaVectorMadeByEspressifsTool() throws Exception {
        byte[] file = resource("plain.rsa-by-esp-tool.bin");
        byte[] plain = ImageCipher.decrypt(file, privateKey("rsa-device-key.pem", "RSA"));
        assertThat(plain).isEqualTo(resource("plain.bin"));
        assertThat(EncryptedImageHeader.parse(file).apparentScheme()).isEqualTo(EncryptionScheme.RSA_3072);
    }

    @Test
    void theVectorKeysHaveTheIdsTheirPublicHalvesGive() throws Exception {
        assertThat(DecryptionKeys.keyId(DecryptionKeys.publicKeyOf(privateKey("ecies-device-key.pem", "EC"))))
                .isEqualTo(DecryptionKeys.keyId(publicKey("ecies-device-pub.pem", "EC")));
        assertThat(DecryptionKeys.keyId(DecryptionKeys.publicKeyOf(privateKey("rsa-device-key.pem", "RSA"))))
                .isEqualTo(DecryptionKeys.keyId(publicKey("rsa-device-pub.pem", "RSA")));
    }

    @Test
    void ourFileHasTheToolsLayout() throws Exception {
        byte[] plain = plaintext(1000);
        byte[] file = ImageCipher.encrypt(plain, publicKey("ecies-device-pub.pem", "EC"), RANDOM);
        assertThat(file).hasSize(512 + 1000);
        assertThat(Arrays.copyOf(file, 4)).containsExactly(0xcf, 0xb6, 0x88, 0x07);
        assertThat(Arrays.copyOfRange(file, 100, 388)).containsOnly(0);          // reserved key parameters
        assertThat(Arrays.copyOfRange(file, 404, 408)).containsExactly(0xe8, 0x03, 0, 0);  // 1000, little-endian
        assertThat(Arrays.copyOfRange(file, 424, 512)).containsOnly(0);
        assertThat(ImageCipher.decrypt(file, privateKey("ecies-device-key.pem", "EC"))).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void roundTripsEverySize(EncryptionScheme scheme) throws Exception {
        for (int size : new int[] {1, 15, 16, 17, 4096, 70_001}) {
            byte[] plain = plaintext(size);
            byte[] file = ImageCipher.encrypt(plain, keys(scheme).getPublic(), RANDOM);
            assertThat(ImageCipher.decrypt(file, keys(scheme).getPrivate())).isEqualTo(plain);
            assertThat(EncryptedImageHeader.parse(file).apparentScheme()).isEqualTo(scheme);
        }
    }

    @Test
    void twoEncryptionsOfOneImageShareNoCiphertext() {
        byte[] plain = plaintext(4096);
        byte[] a = ImageCipher.encrypt(plain, ECIES.getPublic(), RANDOM);
        byte[] b = ImageCipher.encrypt(plain, ECIES.getPublic(), RANDOM);
        assertThat(Arrays.copyOfRange(a, 512, 528)).isNotEqualTo(Arrays.copyOfRange(b, 512, 528));
    }

    @Test
    void anotherRsaKeyIsTheWrongKey() {
        byte[] file = ImageCipher.encrypt(plaintext(3000), RSA.getPublic(), RANDOM);
        KeyPair other = DecryptionKeys.generate(EncryptionScheme.RSA_3072, RANDOM);
        assertRefused(file, other.getPrivate(), null, DecryptionRefusal.WRONG_KEY);
    }

    @Test
    void anotherEciesKeyFailsTheTagAndIsNamedWrongKeyWhenTheManifestSaysWhichKey() {
        byte[] file = ImageCipher.encrypt(plaintext(3000), ECIES.getPublic(), RANDOM);
        KeyPair other = DecryptionKeys.generate(EncryptionScheme.ECIES_P256, RANDOM);
        assertRefused(file, other.getPrivate(), null, DecryptionRefusal.BAD_TAG);
        assertRefused(file, other.getPrivate(), DecryptionKeys.keyId(ECIES.getPublic()), DecryptionRefusal.WRONG_KEY);
    }

    @Test
    void aKeyOfTheOtherSchemeNeverDecrypts() {
        byte[] file = ImageCipher.encrypt(plaintext(3000), ECIES.getPublic(), RANDOM);
        assertRefused(file, RSA.getPrivate(), null, DecryptionRefusal.WRONG_KEY);
    }

    static Stream<Arguments> flips() {
        // {scheme, byte offset, what it hits, expected refusal}
        return Stream.of(
                Arguments.of(EncryptionScheme.ECIES_P256, 0, "magic", DecryptionRefusal.NOT_ENCRYPTED),
                Arguments.of(EncryptionScheme.ECIES_P256, 3, "magic", DecryptionRefusal.NOT_ENCRYPTED),
                Arguments.of(EncryptionScheme.ECIES_P256, 4, "ephemeral key X", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 67, "ephemeral key Y", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 68, "HKDF salt", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 99, "HKDF salt", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 100, "reserved key parameters", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 387, "reserved key parameters", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 388, "IV", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 403, "IV", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 404, "size", DecryptionRefusal.TRUNCATED),
                Arguments.of(EncryptionScheme.ECIES_P256, 408, "tag", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 423, "tag", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 424, "reserved", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 511, "reserved", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.ECIES_P256, 512, "first ciphertext byte", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.ECIES_P256, 512 + 2999, "last ciphertext byte", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.RSA_3072, 0, "magic", DecryptionRefusal.NOT_ENCRYPTED),
                Arguments.of(EncryptionScheme.RSA_3072, 4, "wrapped key", DecryptionRefusal.WRONG_KEY),
                Arguments.of(EncryptionScheme.RSA_3072, 387, "wrapped key", DecryptionRefusal.WRONG_KEY),
                Arguments.of(EncryptionScheme.RSA_3072, 390, "IV", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.RSA_3072, 407, "size (high byte)", DecryptionRefusal.TRUNCATED),
                Arguments.of(EncryptionScheme.RSA_3072, 415, "tag", DecryptionRefusal.BAD_TAG),
                Arguments.of(EncryptionScheme.RSA_3072, 500, "reserved", DecryptionRefusal.HEADER_INVALID),
                Arguments.of(EncryptionScheme.RSA_3072, 2000, "ciphertext", DecryptionRefusal.BAD_TAG));
    }

    @ParameterizedTest(name = "{0}: a bit flip in the {2} (byte {1}) is {3}")
    @MethodSource("flips")
    void aBitFlipAnywhereIsRefused(EncryptionScheme scheme, int offset, String field, DecryptionRefusal expected) {
        byte[] file = ImageCipher.encrypt(plaintext(3000), keys(scheme).getPublic(), RANDOM);
        file[offset] ^= (byte) (offset == 404 ? 0x01 : 0x10);  // size 3000 -> 3001: one byte more than the file has
        assertRefused(file, keys(scheme).getPrivate(), null, expected);
    }

    @Test
    void aWrappedKeyFlipWithTheRightKeyIsADamagedHeaderNotAWrongKey() {
        byte[] file = ImageCipher.encrypt(plaintext(3000), RSA.getPublic(), RANDOM);
        file[100] ^= 1;
        assertRefused(file, RSA.getPrivate(), DecryptionKeys.keyId(RSA.getPublic()), DecryptionRefusal.HEADER_INVALID);
    }

    @Test
    void aSizeFieldMadeSmallerLeavesExtraBytes() {
        byte[] file = ImageCipher.encrypt(plaintext(3000), ECIES.getPublic(), RANDOM);
        file[404] ^= 0x08;  // 3000 = 0x0bb8 -> 0x0bb0
        assertRefused(file, ECIES.getPrivate(), null, DecryptionRefusal.SIZE_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void truncationAnywhereIsRefused(EncryptionScheme scheme) {
        byte[] file = ImageCipher.encrypt(plaintext(3000), keys(scheme).getPublic(), RANDOM);
        for (int length : new int[] {0, 3, 4, 100, 511}) {
            assertRefused(Arrays.copyOf(file, length), keys(scheme).getPrivate(), null,
                    length < 4 ? DecryptionRefusal.NOT_ENCRYPTED : DecryptionRefusal.TRUNCATED);
        }
        for (int length : new int[] {512, 513, 512 + 16, 512 + 2999}) {
            assertRefused(Arrays.copyOf(file, length), keys(scheme).getPrivate(), null, DecryptionRefusal.TRUNCATED);
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionScheme.class)
    void extraBytesAreRefused(EncryptionScheme scheme) {
        byte[] file = ImageCipher.encrypt(plaintext(3000), keys(scheme).getPublic(), RANDOM);
        assertRefused(Arrays.copyOf(file, file.length + 1), keys(scheme).getPrivate(), null, DecryptionRefusal.SIZE_MISMATCH);
        assertRefused(Arrays.copyOf(file, file.length + 16), keys(scheme).getPrivate(), null, DecryptionRefusal.SIZE_MISMATCH);
    }

    @Test
    void aPlainImageIsNotEncrypted() {
        assertRefused(resource("plain.bin"), ECIES.getPrivate(), null, DecryptionRefusal.NOT_ENCRYPTED);
    }

    @Test
    void keysOfOtherSizesAreRefusedByName() {
        KeyPair p384 = TestKeys.ec("secp384r1");
        assertThatThrownBy(() -> ImageCipher.encrypt(plaintext(10), p384.getPublic(), RANDOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256 (ECIES) or RSA-3072");
    }

    private static void assertRefused(byte[] file, PrivateKey key, String keyId, DecryptionRefusal expected) {
        assertThatThrownBy(() -> ImageCipher.decrypt(file, key, keyId))
                .isInstanceOfSatisfying(DecryptionException.class, e -> assertThat(e.refusal())
                        .as(e.getMessage()).isEqualTo(expected));
    }
}
