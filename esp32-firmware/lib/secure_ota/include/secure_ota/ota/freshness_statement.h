// A signed "nothing newer" statement (issue 29, signed freshness): the server's answer to a
// manifest request when there is nothing to install, signed like a manifest (compact JWS,
// ES256, the manifest-signing key) so that a server, or anyone holding its TLS key, cannot
// freeze a device by answering every check with an unsigned "no update".
//
// Header: exactly {"alg":"ES256","typ":"ota-freshness+jws","kid":KID} (same rules as a manifest).
// Payload: a flat JSON object with exactly these fields, all required:
//   v           1
//   product     the device's product        [a-z0-9][a-z0-9-]{0,31}
//   device      the device id that asked    1..64 characters
//   current     the release version the device reported as running (the `current` query)
//   issued_at   Unix seconds                0..2^53-1
//   expires_at  Unix seconds, issued_at < expires_at <= issued_at + kMaxFreshnessValidity
// There is no nonce: issued_at acts as the counter. A device accepts a statement only if its
// issued_at is at or above that of the latest statement it accepted, and only until its
// expires_at, so a recorded statement can be replayed at most within its own validity.
//
// Checks, in order; the first failure is the verdict (NO_UPDATE when all pass):
//   1-3. envelope, alg, header, signature, low-s as for a manifest (manifest_verifier.h)
//   4. payload grammar                                 MANIFEST_INVALID, naming the field
//   5. product                                                     MANIFEST_WRONG_PRODUCT
//      device                                                       MANIFEST_WRONG_DEVICE
//      current equal to the running version            MANIFEST_INVALID (field "current")
//   6. time: trusted time (NO_VALID_TIME); now < expires_at (MANIFEST_EXPIRED);
//      issued_at <= now + kClockSkewSeconds (MANIFEST_NOT_YET_VALID)
//   7. issued_at >= latest accepted statement's issued_at               MANIFEST_REPLAYED
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "secure_ota/ota/crypto/ecdsa_p256.h"
#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota {

constexpr const char* kFreshnessTyp = "ota-freshness+jws";
// The longest validity a device accepts: a longer one would let a single statement hide a
// freeze for that long. The server's default is one day.
constexpr int64_t kMaxFreshnessValidity = 7 * 24 * 3600;

struct FreshnessStatement {
    std::string product;
    std::string device;
    std::string current;
    int64_t issued_at = 0;
    int64_t expires_at = 0;
    std::string kid;
};

struct FreshnessContext {
    std::string product;
    std::string device_id;
    std::string running_version;              // as the device reported it in `current`
    std::optional<int64_t> now;               // trusted Unix time; nullopt = none
    std::optional<int64_t> latest_issued_at;  // of the latest accepted statement; nullopt = none yet
};

struct FreshnessResult {
    Outcome outcome;                              // NO_UPDATE = accepted
    std::optional<FreshnessStatement> statement;  // set once the signature verified and the payload parsed
    bool accepted() const { return statement.has_value() && outcome.verdict == Verdict::NoUpdate; }
};

// Whether a compact JWS's header names typ "ota-freshness+jws" (signature not checked: it
// only chooses which verifier runs, and both check typ again).
bool names_freshness_typ(std::string_view jws);

FreshnessResult verify_freshness_statement(std::string_view jws, const crypto::EcdsaP256PublicKey& key,
                                           const FreshnessContext& device);

}  // namespace secure_ota::ota
