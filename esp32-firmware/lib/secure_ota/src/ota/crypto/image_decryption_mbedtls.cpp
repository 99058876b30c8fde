// mbedTLS backend of ota/crypto/image_decryption.h. Only APIs with the same signature in
// mbedTLS 2.28 and 3.x are used, except mbedtls_pk_parse_key (3.x adds an RNG) and the GCM
// calls (3.x changed update/finish), which are switched on MBEDTLS_VERSION_NUMBER. The EC key
// pair's group and scalar: 3.x keeps them private and mbedtls_ecp_export copies them out (public
// API, stable across minor releases); 2.28 has no such call and public fields (EcKeyParts).
#include "secure_ota/ota/crypto/image_decryption.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>
#if defined(MBEDTLS_HKDF_C)
#include <mbedtls/hkdf.h>
#endif

#include <algorithm>
#include <cstring>

#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota/crypto/ecdsa_p256.h"

namespace secure_ota::ota::crypto {

const char* to_string(ImageScheme s) { return s == ImageScheme::EciesP256 ? "ecies-p256" : "rsa-3072"; }

namespace {

// The group and private scalar of an EC key pair, for ECDH.
class EcKeyParts {
public:
    explicit EcKeyParts(mbedtls_ecp_keypair* kp) {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
        mbedtls_ecp_group_init(&grp_);
        mbedtls_mpi_init(&d_);
        mbedtls_ecp_point_init(&q_);
        ok_ = kp != nullptr && mbedtls_ecp_export(kp, &grp_, &d_, &q_) == 0;
        grp = &grp_;
        d = &d_;
#else
        ok_ = kp != nullptr;
        if (ok_) {
            grp = &kp->grp;
            d = &kp->d;
        }
#endif
    }
    ~EcKeyParts() {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
        mbedtls_ecp_point_free(&q_);
        mbedtls_mpi_free(&d_);  // zeroizes the copy of the scalar
        mbedtls_ecp_group_free(&grp_);
#endif
    }
    EcKeyParts(const EcKeyParts&) = delete;
    EcKeyParts& operator=(const EcKeyParts&) = delete;

    bool ok() const { return ok_; }
    mbedtls_ecp_group* grp = nullptr;
    const mbedtls_mpi* d = nullptr;

private:
    bool ok_ = false;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ecp_group grp_;
    mbedtls_mpi d_;
    mbedtls_ecp_point q_;
#endif
};

// The component's HKDF info: 16 ASCII bytes, no terminator.
constexpr unsigned char kHkdfInfo[16] = {'_', 'e', 's', 'p', '_', 'e', 'n', 'c', '_', 'i', 'm', 'g', '_', 'e', 'c', 'c'};

// RFC 5869 with L = 32 (one block of SHA-256): mbedtls_hkdf when the build has it (Debian's
// 2.28 does; ESP-IDF with CONFIG_MBEDTLS_HKDF_C), else the same two HMACs by hand.
bool hkdf_sha256(const uint8_t* salt, size_t salt_len, const uint8_t* ikm, size_t ikm_len, uint8_t* out32) {
    const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
#if defined(MBEDTLS_HKDF_C)
    return mbedtls_hkdf(md, salt, salt_len, ikm, ikm_len, kHkdfInfo, sizeof kHkdfInfo, out32, 32) == 0;
#else
    uint8_t prk[32];
    uint8_t block[sizeof kHkdfInfo + 1];
    std::memcpy(block, kHkdfInfo, sizeof kHkdfInfo);
    block[sizeof kHkdfInfo] = 0x01;
    bool ok = mbedtls_md_hmac(md, salt, salt_len, ikm, ikm_len, prk) == 0 &&
              mbedtls_md_hmac(md, prk, sizeof prk, block, sizeof block, out32) == 0;
    mbedtls_platform_zeroize(prk, sizeof prk);
    return ok;
#endif
}

// A DRBG for RSA and ECP blinding (side-channel counter-measures), seeded from the platform.
struct Rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    bool ok = false;
    Rng() {
        mbedtls_entropy_init(&entropy);
        mbedtls_ctr_drbg_init(&drbg);
        static const unsigned char who[] = "secure_ota image decryption";
        ok = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, who, sizeof who - 1) == 0;
    }
    ~Rng() {
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
    }
};

}  // namespace

struct ImageDecryptionKey::Impl {
    mbedtls_pk_context pk;
    Impl() { mbedtls_pk_init(&pk); }
    ~Impl() { mbedtls_pk_free(&pk); }
};

ImageDecryptionKey::ImageDecryptionKey() : impl_(new Impl) {}
ImageDecryptionKey::~ImageDecryptionKey() = default;

std::unique_ptr<ImageDecryptionKey> ImageDecryptionKey::from_pem(std::string_view pem, std::string& error) {
    if (pem.empty() || pem.size() > 4096) {
        error = "decryption key PEM is empty or too large";
        return nullptr;
    }
    if (pem.find("-----BEGIN PRIVATE KEY-----") == std::string_view::npos) {
        error = "decryption key is not a PKCS#8 PEM PRIVATE KEY";
        return nullptr;
    }
    std::unique_ptr<ImageDecryptionKey> key(new ImageDecryptionKey);
    std::string z(pem);  // NUL-terminated, NUL counted, as mbedTLS wants PEM
    Rng rng;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    int rc = mbedtls_pk_parse_key(&key->impl_->pk, reinterpret_cast<const unsigned char*>(z.c_str()), z.size() + 1, nullptr,
                                  0, mbedtls_ctr_drbg_random, &rng.drbg);
#else
    int rc = mbedtls_pk_parse_key(&key->impl_->pk, reinterpret_cast<const unsigned char*>(z.c_str()), z.size() + 1, nullptr, 0);
#endif
    mbedtls_platform_zeroize(&z[0], z.size());
    if (rc != 0) {
        error = "cannot parse the decryption key (mbedTLS -0x" + std::to_string(-rc) + ")";
        return nullptr;
    }
    mbedtls_pk_type_t type = mbedtls_pk_get_type(&key->impl_->pk);
    size_t bits = mbedtls_pk_get_bitlen(&key->impl_->pk);
    if (type == MBEDTLS_PK_ECKEY && bits == 256) {
        EcKeyParts parts(mbedtls_pk_ec(key->impl_->pk));
        bool p256 = parts.ok() && parts.grp->id == MBEDTLS_ECP_DP_SECP256R1;
        if (!p256) {
            error = "decryption key is an EC key on another curve; ECIES-P256 needs P-256";
            return nullptr;
        }
        key->scheme_ = ImageScheme::EciesP256;
    } else if (type == MBEDTLS_PK_RSA && bits == 3072) {
        key->scheme_ = ImageScheme::Rsa3072;
    } else {
        error = "decryption key is neither P-256 nor RSA-3072 (" + std::to_string(bits) + "-bit)";
        return nullptr;
    }
    unsigned char der[600];
    int len = mbedtls_pk_write_pubkey_der(&key->impl_->pk, der, sizeof der);  // written at the end
    if (len <= 0) {
        error = "cannot encode the decryption key's public half";
        return nullptr;
    }
    auto digest = secure_ota::crypto::Sha256::of(der + sizeof der - len, size_t(len));
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 8; ++i) {
        key->key_id_ += hex[digest[i] >> 4];
        key->key_id_ += hex[digest[i] & 15];
    }
    return key;
}

KeyDerivation ImageDecryptionKey::aes_key(const uint8_t* params, uint8_t* aes_key_out) const {
    Rng rng;
    if (!rng.ok) return KeyDerivation::CryptoError;
    if (scheme_ == ImageScheme::Rsa3072) {
        uint8_t out[kImageKeyParametersSize];
        size_t olen = 0;
        int rc = mbedtls_pk_decrypt(&impl_->pk, params, kImageKeyParametersSize, out, &olen, sizeof out,
                                    mbedtls_ctr_drbg_random, &rng.drbg);
        bool ok = rc == 0 && olen == kImageAesKeySize;
        if (ok) std::memcpy(aes_key_out, out, kImageAesKeySize);
        mbedtls_platform_zeroize(out, sizeof out);
        if (ok) return KeyDerivation::Ok;
        // Implicit rejection (as TLS does against Bleichenbacher): a random key, so the file then
        // fails like any other at the tag, and a bad padding is never told apart from a bad tag.
        if (mbedtls_ctr_drbg_random(&rng.drbg, aes_key_out, kImageAesKeySize) != 0) return KeyDerivation::CryptoError;
        return KeyDerivation::UnwrapFailed;
    }
    KeyDerivation result = KeyDerivation::CryptoError;
    EcKeyParts parts(mbedtls_pk_ec(impl_->pk));
    if (!parts.ok()) return KeyDerivation::CryptoError;
    mbedtls_ecp_group* grp = parts.grp;
    const mbedtls_mpi* d = parts.d;
    mbedtls_mpi z;
    mbedtls_ecp_point peer;
    mbedtls_mpi_init(&z);
    mbedtls_ecp_point_init(&peer);
    uint8_t point[65];
    point[0] = 0x04;  // SEC1 uncompressed; the header stores X||Y without it
    std::memcpy(point + 1, params, 64);
    uint8_t secret[32];
    // An off-curve point would turn ECDH into an oracle on our private key (invalid-curve attack).
    if (mbedtls_ecp_point_read_binary(grp, &peer, point, sizeof point) != 0 || mbedtls_ecp_check_pubkey(grp, &peer) != 0) {
        result = KeyDerivation::EphemeralKeyInvalid;
    } else if (mbedtls_ecdh_compute_shared(grp, &z, &peer, d, mbedtls_ctr_drbg_random, &rng.drbg) == 0 &&
               mbedtls_mpi_write_binary(&z, secret, sizeof secret) == 0 &&
               hkdf_sha256(params + 64, 32, secret, sizeof secret, aes_key_out)) {
        result = KeyDerivation::Ok;
    }
    mbedtls_platform_zeroize(secret, sizeof secret);
    mbedtls_ecp_point_free(&peer);
    mbedtls_mpi_free(&z);
    return result;
}

struct AesGcmDecryption::Impl {
    mbedtls_gcm_context gcm;
    uint8_t partial[16];
    size_t partial_length = 0;
    Impl() { mbedtls_gcm_init(&gcm); }
    ~Impl() { mbedtls_gcm_free(&gcm); }

    bool blocks(const uint8_t* in, size_t n, uint8_t* out) {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
        size_t olen = 0;
        return mbedtls_gcm_update(&gcm, in, n, out, n + 16, &olen) == 0 && olen == n;
#else
        return mbedtls_gcm_update(&gcm, n, in, out) == 0;
#endif
    }
};

AesGcmDecryption::AesGcmDecryption() : impl_(new Impl) {}
AesGcmDecryption::~AesGcmDecryption() = default;

bool AesGcmDecryption::start(const uint8_t* key, const uint8_t* iv, size_t iv_length) {
    impl_->partial_length = 0;
    if (mbedtls_gcm_setkey(&impl_->gcm, MBEDTLS_CIPHER_ID_AES, key, 256) != 0) return false;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    return mbedtls_gcm_starts(&impl_->gcm, MBEDTLS_GCM_DECRYPT, iv, iv_length) == 0;
#else
    return mbedtls_gcm_starts(&impl_->gcm, MBEDTLS_GCM_DECRYPT, iv, iv_length, nullptr, 0) == 0;
#endif
}

long AesGcmDecryption::update(const uint8_t* in, size_t length, uint8_t* out) {
    Impl& s = *impl_;
    size_t written = 0;
    if (s.partial_length > 0) {
        size_t k = std::min(length, sizeof s.partial - s.partial_length);
        std::memcpy(s.partial + s.partial_length, in, k);
        s.partial_length += k;
        in += k;
        length -= k;
        if (s.partial_length < sizeof s.partial) return 0;
        if (!s.blocks(s.partial, sizeof s.partial, out)) return -1;
        s.partial_length = 0;
        written = sizeof s.partial;
    }
    size_t whole = length - length % 16;
    if (whole > 0) {
        if (!s.blocks(in, whole, out + written)) return -1;
        written += whole;
    }
    s.partial_length = length - whole;
    std::memcpy(s.partial, in + whole, s.partial_length);
    return long(written);
}

bool AesGcmDecryption::finish(const uint8_t* tag, size_t tag_length, uint8_t* tail, size_t& tail_length) {
    Impl& s = *impl_;
    tail_length = 0;
    if (tag_length != 16) return false;
    if (s.partial_length > 0) {
        if (!s.blocks(s.partial, s.partial_length, tail)) return false;
        tail_length = s.partial_length;
        s.partial_length = 0;
    }
    uint8_t computed[16];
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    size_t olen = 0;
    uint8_t none[16];
    if (mbedtls_gcm_finish(&s.gcm, none, sizeof none, &olen, computed, sizeof computed) != 0) return false;
#else
    if (mbedtls_gcm_finish(&s.gcm, computed, sizeof computed) != 0) return false;
#endif
    return constant_time_equal(computed, tag, sizeof computed);
}

}  // namespace secure_ota::ota::crypto
