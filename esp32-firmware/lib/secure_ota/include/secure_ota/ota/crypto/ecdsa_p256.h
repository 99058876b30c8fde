// ECDSA P-256 signature verification for the OTA engine (ES256, RFC 7518 3.4), after
// MCUboot's bootutil/crypto/*.h: callers see this small API only; the backend (mbedTLS 2.28
// on the host, mbedTLS 3.x in ESP-IDF 5) lives in src/ota/crypto/ecdsa_p256_mbedtls.cpp.
// SHA-256 comes from secure_ota/crypto/sha256.h.
// mbedTLS 3.x built with MBEDTLS_USE_PSA_CRYPTO routes pk operations through PSA: the port
// must have called psa_crypto_init() first (the host TLS connector does; the core stays free
// of psa/ headers so that it only depends on mbedtls/*.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace secure_ota::ota::crypto {

constexpr size_t kEs256SignatureSize = 64;  // r || s, 32 bytes each, big-endian

class EcdsaP256PublicKey {
public:
    ~EcdsaP256PublicKey();
    EcdsaP256PublicKey(const EcdsaP256PublicKey&) = delete;
    EcdsaP256PublicKey& operator=(const EcdsaP256PublicKey&) = delete;

    // A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) holding a P-256 key. nullptr with `error`
    // set for anything else (RSA, another curve, garbage).
    static std::unique_ptr<EcdsaP256PublicKey> from_pem(std::string_view pem, std::string& error);

    // Verifies a raw r||s signature over SHA-256(message). Any malformed input is false.
    bool verify(const void* message, size_t length, const uint8_t* signature, size_t signature_length) const;

    // The manifest "kid": first 16 hex digits of SHA-256 of the SubjectPublicKeyInfo DER.
    const std::string& kid() const { return kid_; }

private:
    EcdsaP256PublicKey();
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string kid_;
};

// Converts a raw r||s ES256 signature to the ASN.1 DER ECDSA-Sig-Value. Exposed for tests
// and for the test vector generator; false when r or s is zero.
bool es256_raw_to_der(const uint8_t* raw, size_t raw_length, std::string& der);

// Compares two buffers in time independent of their contents.
bool constant_time_equal(const uint8_t* a, const uint8_t* b, size_t length);

}  // namespace secure_ota::ota::crypto
