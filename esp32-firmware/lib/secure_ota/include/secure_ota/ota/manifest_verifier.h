// Verification of the signed OTA manifest (docs/manifest.md): a compact JWS signed with
// ES256 by the lab's manifest-signing key, whose public half comes from factory data.
//
// Checks, in this fixed order; the first failure is the verdict:
//   1. envelope   at most kMaxJwsSize bytes, exactly three base64url parts, strict
//                 base64url, header JSON flat and well-formed            MANIFEST_MALFORMED
//   2. algorithm  header "alg" is exactly "ES256" (none, HS256, ... refused)
//                                                                  MANIFEST_ALG_REJECTED
//      header     exactly alg, typ = "ota-manifest+jws" and a string kid; any other
//                 parameter (crit, jwk, jku, x5u, ...) is refused           MANIFEST_INVALID
//   3. signature  64-byte r||s over the ASCII "header.payload" as received
//                                                             MANIFEST_SIGNATURE_INVALID
//                 then s <= n/2 (a high-s signature is a malleated copy)    MANIFEST_INVALID
//   4. payload    flat JSON with exactly the fields of its format (v 1 or 2, optional
//                 device), each of its type and range (docs/manifest.md): semver version,
//                 sha256 = 64 lowercase hex, url = absolute path on the provisioned server,
//                 size 1..16 MiB, counter 1..2^53-1, issued_at < expires_at <= 2^53-1
//                                                   MANIFEST_INVALID, naming the field
//   5. product    equals the device's product                        MANIFEST_WRONG_PRODUCT
//      device     absent, or equal to the device's id                 MANIFEST_WRONG_DEVICE
//   6. time       the device has trusted time (else NO_VALID_TIME); now < expires_at
//                 (MANIFEST_EXPIRED); issued_at <= now + kClockSkew (MANIFEST_NOT_YET_VALID)
//   7. counter    counter >= highest accepted counter; when equal, the version must equal
//                 the version accepted with it (the same release fetched again, e.g. to
//                 retry a failed download). Lower, or equal with another version:
//                                                                     MANIFEST_REPLAYED
//   8. version    version > running version; equal: NO_UPDATE; lower: DOWNGRADE_REFUSED
//   9. secure_version >= device minimum (anti-rollback)          SECURE_VERSION_TOO_LOW
//  10. size       size <= target slot size                                IMAGE_TOO_LARGE
// The signature is checked before any payload field is even parsed, so an unsigned payload
// can never select a code path beyond "malformed envelope".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota/crypto/ecdsa_p256.h"
#include "secure_ota/ota/semver.h"
#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota {

constexpr size_t kMaxJwsSize = 4096;
constexpr int64_t kClockSkewSeconds = 300;  // tolerated for issued_at only, never for expiry
constexpr size_t kMaxUrlLength = 200;
constexpr size_t kMaxProductLength = 32;     // [a-z0-9][a-z0-9-]{0,31}
constexpr size_t kMaxVersionLength = 31;     // fits esp_app_desc_t.version with its NUL
constexpr size_t kMaxDeviceIdLength = 64;
constexpr int64_t kMaxImageSize = 16 * 1024 * 1024;
constexpr int64_t kMaxJsonInteger = (int64_t(1) << 53) - 1;  // exact in every JSON parser

struct Manifest {
    int64_t v = 0;
    std::string product;
    std::string version;  // as in the payload
    SemVer semver;
    uint32_t secure_version = 0;
    std::string url;
    uint32_t size = 0;
    secure_ota::crypto::Sha256Digest sha256{};
    int64_t issued_at = 0;
    int64_t expires_at = 0;
    uint64_t counter = 0;
    std::string kid;  // from the header, informational
    std::string device;  // per-device deployment: the one device id it is for; empty = product-wide
    // Format 2 (docs/manifest.md): `url` serves an esp_encrypted_img file; size/sha256 above
    // stay those of the plaintext image.
    bool encrypted = false;
    std::string encryption_scheme;   // "ecies-p256" | "rsa-3072"
    std::string encryption_key_id;   // 16 lowercase hex digits
    uint32_t encrypted_size = 0;     // = size + 512
    secure_ota::crypto::Sha256Digest encrypted_sha256{};
};

// The highest manifest counter the device has accepted, with the version it named.
struct CounterRecord {
    uint64_t counter = 0;
    std::string version;
};

struct DeviceContext {
    std::string product;
    std::string device_id;                   // a manifest bound to another device is refused
    SemVer running_version;
    uint32_t min_secure_version = 0;
    uint32_t slot_size = 0;                  // size of the target OTA slot
    std::optional<int64_t> now;              // trusted Unix time; nullopt = none
    std::optional<CounterRecord> highest;    // nullopt = never accepted any manifest
};

struct ManifestResult {
    Outcome outcome;           // verdict Updated is never returned; "accepted" = ok()
    std::optional<Manifest> manifest;  // set once the signature verified and the payload parsed
    bool accepted() const { return manifest.has_value() && outcome.verdict == Verdict::Updated; }
};

// Steps 1-3 for any compact ES256 JWS of the lab (manifests, freshness statements): envelope,
// alg = ES256, exactly alg/typ/kid with typ == typ_expected, signature with `key` (null: not
// checked, fuzzing only), low-s. nullopt = verified; `kid` and the raw `payload` are then set.
std::optional<Outcome> open_es256_jws(std::string_view jws, const crypto::EcdsaP256PublicKey* key, std::string_view typ_expected,
                                      std::string& kid, std::vector<uint8_t>& payload);

// Only the signature-independent part, steps 1-4, for fuzzing and tests: parses and verifies
// the envelope; `key` may be null to skip step 3 (fuzzing only).
ManifestResult parse_and_verify_jws(std::string_view jws, const crypto::EcdsaP256PublicKey* key);

// All steps. On acceptance, returns outcome UPDATED-pending, i.e. accepted() == true.
ManifestResult verify_manifest(std::string_view jws, const crypto::EcdsaP256PublicKey& key, const DeviceContext& device);

// The payload checks alone (steps 5-10) on an already verified manifest.
Outcome check_manifest_policy(const Manifest& m, const DeviceContext& device);

// A trusted time is one after this instant (2025-01-01T00:00:00Z): an unset RTC starts at
// 1970 and must never count as valid time.
constexpr int64_t kMinPlausibleUnixTime = 1735689600;

}  // namespace secure_ota::ota
