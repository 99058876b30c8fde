// The firmware's defence profile: which of the update path's checks this build carries.
//
// `secure` (every check) is the only profile a real board can be built with and the default of
// every build. The weakened profiles exist for the lab only: each one is the same core with one
// check (or, for `naive`, all of them) switched off at compile time, so that an audience can see
// an attack succeed against a device that lacks the check that stops it (issue 22). A profile is
// chosen by compiling defence_profile.cpp, and only that file, with SECURE_OTA_WITHOUT_* macros;
// the rest of the core asks defence_profile() and is compiled once for all profiles. The real
// board's build refuses any weakened profile with #error (defence_profile.cpp).
#pragma once

#include <string>

namespace secure_ota {

struct DefenceProfile {
    const char* name;     // "secure", "no-hash", ..., "naive"
    bool pinning;         // TLS: the server's chain must end at the provisioned lab CA, for its host name
    bool signature;       // manifest: ES256 signature by the provisioned key
    bool hash;            // image: SHA-256 equal to the signed manifest's
    bool size_check;      // image: exactly the signed manifest's size, announced and received
    bool anti_replay;     // manifest: counter never below the highest accepted (kept in flash)
    bool anti_downgrade;  // manifest: version above the running one, secure_version not below the minimum
    bool time_floor;      // time: never below the build time or the latest verified issued_at
    bool rollback;        // activation: a new image boots PENDING_VERIFY and must confirm itself

    bool weakened() const {
        return !(pinning && signature && hash && size_check && anti_replay && anti_downgrade && time_floor && rollback);
    }
    // "no pinning, no signature" (English, for telemetry and logs); empty for secure.
    std::string missing() const;
    // Short form for the 16-character LCD line: "NO PIN SIG HASH" ... or "NAIVE: NO CHECKS".
    std::string lcd_line() const;
};

// The profile this program was built with (one per binary; never changes at run time).
const DefenceProfile& defence_profile();

}  // namespace secure_ota
