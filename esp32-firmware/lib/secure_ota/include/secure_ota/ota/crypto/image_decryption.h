// Decryption of esp_encrypted_img files (docs/encrypted-image.md) for the OTA engine, after
// MCUboot's bootutil/crypto/*.h: callers see this small API; the mbedTLS backend (2.28 on the
// host, 3.x in ESP-IDF 5) lives in src/ota/crypto/image_decryption_mbedtls.cpp.
//  - ImageDecryptionKey: the device's private key from factory data (P-256 for ECIES-P256,
//    RSA-3072 for RSA-3072), its key id, and the AES-256 key of one file from the header's
//    384-byte key-parameter block (ECDH + HKDF-SHA256, or PKCS#1 v1.5 unwrap);
//  - AesGcmDecryption: streaming AES-256-GCM with the format's 16-byte IV, any chunk sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace secure_ota::ota::crypto {

enum class ImageScheme { EciesP256, Rsa3072 };
// "ecies-p256" / "rsa-3072", as the manifest's "encryption" field spells it.
const char* to_string(ImageScheme s);

constexpr size_t kImageKeyParametersSize = 384;
constexpr size_t kImageAesKeySize = 32;

enum class KeyDerivation {
    Ok,
    EphemeralKeyInvalid,  // ECIES: X||Y is not a point on P-256 (never used for ECDH)
    UnwrapFailed,         // RSA: PKCS#1 v1.5 unwrap failed or did not give 32 bytes; a random
                          // key was written instead (implicit rejection): go on, the tag will fail
    CryptoError,          // mbedTLS failed otherwise (RNG, memory)
};

class ImageDecryptionKey {
public:
    ~ImageDecryptionKey();
    ImageDecryptionKey(const ImageDecryptionKey&) = delete;
    ImageDecryptionKey& operator=(const ImageDecryptionKey&) = delete;

    // A PKCS#8 PEM "PRIVATE KEY" holding a P-256 or an RSA-3072 key; nullptr with `error` set
    // for anything else.
    static std::unique_ptr<ImageDecryptionKey> from_pem(std::string_view pem, std::string& error);

    ImageScheme scheme() const { return scheme_; }
    // First 16 hex digits of SHA-256 of the public key's SubjectPublicKeyInfo DER: the
    // manifest's "encryption_key_id" (same rule as the manifest "kid").
    const std::string& key_id() const { return key_id_; }

    // The file's AES-256 key from its key-parameter block (header bytes 4..387).
    KeyDerivation aes_key(const uint8_t* key_parameters, uint8_t* aes_key_out) const;

private:
    ImageDecryptionKey();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    ImageScheme scheme_ = ImageScheme::EciesP256;
    std::string key_id_;
};

// AES-256-GCM decryption of one stream. update() may be called with any lengths; output lags
// by at most 15 bytes (mbedTLS 2.28 takes whole blocks only) and finish() returns the tail.
class AesGcmDecryption {
public:
    AesGcmDecryption();
    ~AesGcmDecryption();
    AesGcmDecryption(const AesGcmDecryption&) = delete;
    AesGcmDecryption& operator=(const AesGcmDecryption&) = delete;

    bool start(const uint8_t* key, const uint8_t* iv, size_t iv_length);
    // Writes the plaintext of whole blocks to `out` (room for length + 15 bytes); returns how
    // many bytes it wrote, or -1 on an mbedTLS error.
    long update(const uint8_t* in, size_t length, uint8_t* out);
    // Decrypts the last partial block into `tail` (room for 15 bytes, count in tail_length) and
    // compares the tag in constant time. False for a wrong tag or an mbedTLS error.
    bool finish(const uint8_t* tag, size_t tag_length, uint8_t* tail, size_t& tail_length);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace secure_ota::ota::crypto
