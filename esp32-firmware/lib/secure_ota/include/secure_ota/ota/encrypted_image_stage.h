// The decrypting stage of the download path (issue 14): ciphertext of an esp_encrypted_img
// file in (docs/encrypted-image.md), plaintext out to the ordinary image path, which writes it
// to the inactive slot and hashes it as before. The stage checks, in this order:
//   header (magic, zero reserved bytes; ECIES: zero key-parameter padding, ephemeral key on
//   P-256) -> the header's plaintext size equals the manifest's -> key derivation (RSA: a
//   wrapped key that does not unwrap is implicitly rejected: a random key, then a bad tag) ->
//   never more than the manifest's encrypted_size -> at finish(): all bytes arrived -> the
//   GCM tag -> SHA-256 of the served file equals the manifest's encrypted_sha256.
// The plaintext it hands on is unauthenticated until finish() succeeds, so the engine
// activates nothing before it (and before the plaintext SHA-256 check that follows). When the
// image path refuses that plaintext early (first byte not 0xE9...), the stage stops feeding it
// but runs the rest of the file through GCM: a failed tag is then the verdict, as it is the
// cause (wrong key or altered file); the image path's refusal stands only if the tag verified.
// One stage lives for one update attempt, across Range resumes: the GCM context and the
// encrypted-file hash continue at consumed(), the exact offset to request again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota/crypto/image_decryption.h"
#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota {

// A byte count of the header buffer: size_t, like the lengths it meets in std::min (uint32_t
// is unsigned long on the chip, size_t unsigned int: no common type to deduce).
constexpr size_t kEncryptedHeaderSize = 512;

struct EncryptedImageExpectation {
    uint32_t plaintext_size = 0;                        // manifest "size"
    uint32_t encrypted_size = 0;                        // manifest "encrypted_size" (= 512 + size)
    secure_ota::crypto::Sha256Digest encrypted_sha256{};  // manifest "encrypted_sha256"
};

class EncryptedImageStage {
public:
    // Receives plaintext in order; returns Updated to go on, or the refusal to stop with.
    using PlaintextSink = std::function<Outcome(const uint8_t*, size_t)>;

    EncryptedImageStage(const crypto::ImageDecryptionKey& key, EncryptedImageExpectation expect, PlaintextSink sink);
    ~EncryptedImageStage();

    // Ciphertext bytes as they arrive, in any chunks. Updated, or the first refusal (after a
    // refusal the stage accepts nothing more).
    Outcome accept(const uint8_t* data, size_t length);
    // Bytes of the served file accepted so far: where a Range resume starts.
    uint32_t consumed() const { return consumed_; }
    // After the last byte: length, tag, encrypted-file hash; flushes the last plaintext bytes.
    Outcome finish();

private:
    Outcome refuse(Verdict v, std::string detail);
    Outcome open_header();

    const crypto::ImageDecryptionKey& key_;
    EncryptedImageExpectation expect_;
    PlaintextSink sink_;
    std::vector<uint8_t> header_;
    std::vector<uint8_t> plain_;  // scratch for one chunk's plaintext
    std::unique_ptr<crypto::AesGcmDecryption> gcm_;
    std::unique_ptr<secure_ota::crypto::Sha256> file_hash_;
    uint32_t consumed_ = 0;
    bool failed_ = false;
    std::unique_ptr<Outcome> held_refusal_;  // the image path's refusal, reported once the tag verified
};

}  // namespace secure_ota::ota
