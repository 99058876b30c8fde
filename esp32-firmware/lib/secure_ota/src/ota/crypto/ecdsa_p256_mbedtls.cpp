// mbedTLS backend of ota/crypto/ecdsa_p256.h. Only APIs that are identical in mbedTLS 2.28
// and 3.x are used (mbedtls_pk_parse_public_key, mbedtls_pk_verify, mbedtls_pk_write_pubkey_der),
// so no private struct field and no version guard is needed.
#include "secure_ota/ota/crypto/ecdsa_p256.h"

#include <mbedtls/pk.h>

#include <cstring>
#include <vector>

#include "secure_ota/crypto/sha256.h"

namespace secure_ota::ota::crypto {

struct EcdsaP256PublicKey::Impl {
    mbedtls_pk_context pk;
    Impl() { mbedtls_pk_init(&pk); }
    ~Impl() { mbedtls_pk_free(&pk); }
};

EcdsaP256PublicKey::EcdsaP256PublicKey() : impl_(new Impl) {}
EcdsaP256PublicKey::~EcdsaP256PublicKey() = default;

namespace {
// The DER SubjectPublicKeyInfo of every uncompressed P-256 key starts with these 26 bytes
// (SEQUENCE, AlgorithmIdentifier id-ecPublicKey + prime256v1, BIT STRING of 66 bytes) and is
// 91 bytes long. Checking the encoding mbedTLS writes tells the curve with the same public
// call in 2.28 and every 3.x (mbedtls_ecp_keypair_get_group_id exists only from 3.6.0).
constexpr uint8_t kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                                       0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr size_t kP256SpkiSize = 91;

bool is_p256_spki(const unsigned char* der, size_t length) {
    return length == kP256SpkiSize && std::memcmp(der, kP256SpkiPrefix, sizeof kP256SpkiPrefix) == 0;
}
}  // namespace

std::unique_ptr<EcdsaP256PublicKey> EcdsaP256PublicKey::from_pem(std::string_view pem, std::string& error) {
    if (pem.empty() || pem.size() > 4096) {
        error = "signing key PEM is empty or too large";
        return nullptr;
    }
    if (pem.find("-----BEGIN PUBLIC KEY-----") == std::string_view::npos) {
        error = "signing key is not a PEM PUBLIC KEY (SubjectPublicKeyInfo)";
        return nullptr;
    }
    std::unique_ptr<EcdsaP256PublicKey> key(new EcdsaP256PublicKey);
    // mbedTLS wants the PEM NUL-terminated, with the NUL counted in the length.
    std::string z(pem);
    int rc = mbedtls_pk_parse_public_key(&key->impl_->pk, reinterpret_cast<const unsigned char*>(z.c_str()), z.size() + 1);
    if (rc != 0) {
        error = "cannot parse signing key (mbedTLS -0x" + std::to_string(-rc) + ")";
        return nullptr;
    }
    unsigned char der[256];
    int len = mbedtls_pk_get_type(&key->impl_->pk) == MBEDTLS_PK_ECKEY
                  ? mbedtls_pk_write_pubkey_der(&key->impl_->pk, der, sizeof der)  // written at the end
                  : 0;
    if (len <= 0 || !is_p256_spki(der + sizeof der - len, size_t(len))) {
        error = "signing key is not an ECDSA P-256 key";
        return nullptr;
    }
    auto digest = secure_ota::crypto::Sha256::of(der + sizeof der - len, size_t(len));
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 8; ++i) {
        key->kid_ += hex[digest[i] >> 4];
        key->kid_ += hex[digest[i] & 15];
    }
    return key;
}

bool es256_raw_to_der(const uint8_t* raw, size_t raw_length, std::string& der) {
    der.clear();
    if (raw == nullptr || raw_length != kEs256SignatureSize) return false;
    std::string ints;
    for (int half = 0; half < 2; ++half) {
        const uint8_t* v = raw + half * 32;
        size_t skip = 0;
        while (skip < 32 && v[skip] == 0) ++skip;
        if (skip == 32) return false;  // r or s = 0 is never valid
        std::string body;
        if (v[skip] & 0x80) body += '\0';  // keep the INTEGER positive
        body.append(reinterpret_cast<const char*>(v + skip), 32 - skip);
        ints += char(0x02);
        ints += char(body.size());
        ints += body;
    }
    der += char(0x30);
    der += char(ints.size());  // at most 2 * 35 = 70 < 128: short form
    der += ints;
    return true;
}

bool EcdsaP256PublicKey::verify(const void* message, size_t length, const uint8_t* signature,
                                size_t signature_length) const {
    if (message == nullptr && length != 0) return false;
    std::string der;
    if (!es256_raw_to_der(signature, signature_length, der)) return false;
    auto digest = secure_ota::crypto::Sha256::of(message, length);
    int rc = mbedtls_pk_verify(&impl_->pk, MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                               reinterpret_cast<const unsigned char*>(der.data()), der.size());
    return rc == 0;
}

bool constant_time_equal(const uint8_t* a, const uint8_t* b, size_t length) {
    volatile uint8_t diff = 0;
    for (size_t i = 0; i < length; ++i) diff = diff | uint8_t(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace secure_ota::ota::crypto
