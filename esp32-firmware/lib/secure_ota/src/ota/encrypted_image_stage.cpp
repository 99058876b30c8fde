#include "secure_ota/ota/encrypted_image_stage.h"

#include <algorithm>
#include <cstring>

#include "secure_ota/ota/crypto/ecdsa_p256.h"

namespace secure_ota::ota {
namespace {

// Header layout (docs/encrypted-image.md), both schemes.
constexpr uint8_t kMagic[4] = {0xcf, 0xb6, 0x88, 0x07};
constexpr size_t kKeyParametersOffset = 4;
constexpr size_t kEciesPaddingOffset = kKeyParametersOffset + 64 + 32;  // 100
constexpr size_t kIvOffset = 388;
constexpr size_t kIvSize = 16;
constexpr size_t kSizeOffset = 404;
constexpr size_t kTagOffset = 408;
constexpr size_t kTagSize = 16;
constexpr size_t kReservedOffset = 424;

uint32_t load_le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

}  // namespace

EncryptedImageStage::EncryptedImageStage(const crypto::ImageDecryptionKey& key, EncryptedImageExpectation expect, PlaintextSink sink)
    : key_(key), expect_(expect), sink_(std::move(sink)), file_hash_(std::make_unique<secure_ota::crypto::Sha256>()) {
    header_.reserve(kEncryptedHeaderSize);
}

EncryptedImageStage::~EncryptedImageStage() = default;

Outcome EncryptedImageStage::refuse(Verdict v, std::string detail) {
    failed_ = true;
    return Outcome::of(v, std::move(detail));
}

Outcome EncryptedImageStage::open_header() {
    const uint8_t* h = header_.data();
    if (std::memcmp(h, kMagic, sizeof kMagic) != 0)
        return refuse(Verdict::DecryptHeaderInvalid, "no esp_encrypted_img magic cf b6 88 07 at offset 0");
    for (size_t i = kReservedOffset; i < kEncryptedHeaderSize; ++i)
        if (h[i] != 0) return refuse(Verdict::DecryptHeaderInvalid, "reserved header byte " + std::to_string(i) + " is not 0");
    if (key_.scheme() == crypto::ImageScheme::EciesP256)
        for (size_t i = kEciesPaddingOffset; i < kIvOffset; ++i)
            if (h[i] != 0) return refuse(Verdict::DecryptHeaderInvalid, "ECIES key-parameter byte " + std::to_string(i) + " is not 0");
    uint32_t size = load_le32(h + kSizeOffset);
    if (size != expect_.plaintext_size)
        return refuse(Verdict::DecryptSizeMismatch, "header announces " + std::to_string(size) + " plaintext bytes, the manifest " +
                                                        std::to_string(expect_.plaintext_size));
    uint8_t aes_key[crypto::kImageAesKeySize];
    crypto::KeyDerivation kd = key_.aes_key(h + kKeyParametersOffset, aes_key);
    if (kd == crypto::KeyDerivation::EphemeralKeyInvalid)
        return refuse(Verdict::DecryptHeaderInvalid, "the ephemeral public key (bytes 4-67) is not a point on P-256");
    // RSA: a wrapped key that does not unwrap goes on with a random key and fails at the tag, with
    // the same verdict, bytes and time as any altered file. Refusing here would tell an attacker
    // who swaps the served file whether his PKCS#1 v1.5 padding was valid: Bleichenbacher's oracle.
    if (kd != crypto::KeyDerivation::Ok && kd != crypto::KeyDerivation::UnwrapFailed)
        return refuse(Verdict::InternalError, "key derivation failed in mbedTLS");
    gcm_ = std::make_unique<crypto::AesGcmDecryption>();
    bool started = gcm_->start(aes_key, h + kIvOffset, kIvSize);
    std::memset(aes_key, 0, sizeof aes_key);
    if (!started) return refuse(Verdict::InternalError, "AES-GCM setup failed in mbedTLS");
    return Outcome::of(Verdict::Updated);
}

Outcome EncryptedImageStage::accept(const uint8_t* p, size_t n) {
    if (failed_) return Outcome::of(Verdict::InternalError, "the decrypting stage already refused this file");
    if (n > expect_.encrypted_size - consumed_)
        return refuse(Verdict::DecryptSizeMismatch, "more than the manifest's " + std::to_string(expect_.encrypted_size) + " bytes");
    file_hash_->update(p, n);
    consumed_ += uint32_t(n);
    if (header_.size() < kEncryptedHeaderSize) {
        size_t k = std::min(n, kEncryptedHeaderSize - header_.size());
        header_.insert(header_.end(), p, p + k);
        p += k;
        n -= k;
        if (header_.size() < kEncryptedHeaderSize) return Outcome::of(Verdict::Updated);
        Outcome o = open_header();
        if (!o.ok()) return o;
    }
    if (n == 0) return Outcome::of(Verdict::Updated);
    plain_.resize(n + 16);
    long produced = gcm_->update(p, n, plain_.data());
    if (produced < 0) return refuse(Verdict::InternalError, "AES-GCM update failed in mbedTLS");
    if (produced == 0 || held_refusal_) return Outcome::of(Verdict::Updated);
    Outcome o = sink_(plain_.data(), size_t(produced));
    // Plaintext the image path refuses (not 0xE9, a bad segment) is what a wrong key or an
    // altered file decrypts to. The tag is the judge: nothing more is written, but the rest
    // of the signed file still runs through GCM, and finish() names the real cause.
    if (!o.ok()) held_refusal_ = std::make_unique<Outcome>(o);
    return Outcome::of(Verdict::Updated);
}

Outcome EncryptedImageStage::finish() {
    if (failed_) return Outcome::of(Verdict::InternalError, "the decrypting stage already refused this file");
    if (consumed_ < expect_.encrypted_size)
        return refuse(Verdict::DecryptTruncated, "the file ended after " + std::to_string(consumed_) + " of " +
                                                     std::to_string(expect_.encrypted_size) + " bytes");
    uint8_t tail[16];
    size_t tail_length = 0;
    if (!gcm_->finish(header_.data() + kTagOffset, kTagSize, tail, tail_length))
        return refuse(Verdict::DecryptBadTag, "the AES-GCM tag does not verify: the ciphertext, IV, salt, key or tag was altered");
    auto digest = file_hash_->finish();
    if (!crypto::constant_time_equal(digest.data(), expect_.encrypted_sha256.data(), digest.size()))
        return refuse(Verdict::HashMismatch, "SHA-256 of the encrypted file differs from the signed manifest's encrypted_sha256");
    if (held_refusal_) return refuse(held_refusal_->verdict, held_refusal_->detail + " (the tag verified: the signed image itself is bad)");
    if (tail_length > 0) {
        Outcome o = sink_(tail, tail_length);
        if (!o.ok()) return refuse(o.verdict, o.detail);
    }
    return Outcome::of(Verdict::Updated);
}

}  // namespace secure_ota::ota
