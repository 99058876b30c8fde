// The test side of esp_encrypted_img: makes files exactly as esp_enc_img_gen.py does
// (docs/encrypted-image.md), with mbedTLS, so the engine's refusal tests can tamper with any
// byte. The device side under test is lib/secure_ota (EncryptedImageStage + image_decryption).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ota_test {

// A recipient key: a PKCS#8 PEM private key (the device's) or a fresh P-256 key.
class Recipient {
public:
    ~Recipient();
    static std::unique_ptr<Recipient> from_private_pem(const std::string& pem);
    static std::unique_ptr<Recipient> fresh_p256();
    bool rsa() const;
    std::string key_id() const;  // 16 hex digits of SHA-256(SubjectPublicKeyInfo DER)
    // 512-byte header + AES-256-GCM ciphertext, for this recipient.
    std::vector<uint8_t> encrypt(const std::vector<uint8_t>& plain) const;

private:
    Recipient();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The committed vectors and their keys (app/src/test/resources/.../firmware/encrypted/).
std::string vector_file(const std::string& name);

}  // namespace ota_test
