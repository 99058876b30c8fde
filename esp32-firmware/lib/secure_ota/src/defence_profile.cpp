// The one translation unit that differs between profiles (see defence_profile.h): the lab
// build compiles it once per weakened profile with SECURE_OTA_WITHOUT_<CHECK>=1 macros (and
// SECURE_OTA_PROFILE_NAME), everything else is shared.
#include "secure_ota/defence_profile.h"

#ifndef SECURE_OTA_WITHOUT_PINNING
#define SECURE_OTA_WITHOUT_PINNING 0
#endif
#ifndef SECURE_OTA_WITHOUT_SIGNATURE
#define SECURE_OTA_WITHOUT_SIGNATURE 0
#endif
#ifndef SECURE_OTA_WITHOUT_HASH
#define SECURE_OTA_WITHOUT_HASH 0
#endif
#ifndef SECURE_OTA_WITHOUT_SIZE_CHECK
#define SECURE_OTA_WITHOUT_SIZE_CHECK 0
#endif
#ifndef SECURE_OTA_WITHOUT_ANTI_REPLAY
#define SECURE_OTA_WITHOUT_ANTI_REPLAY 0
#endif
#ifndef SECURE_OTA_WITHOUT_ANTI_DOWNGRADE
#define SECURE_OTA_WITHOUT_ANTI_DOWNGRADE 0
#endif
#ifndef SECURE_OTA_WITHOUT_TIME_FLOOR
#define SECURE_OTA_WITHOUT_TIME_FLOOR 0
#endif
#ifndef SECURE_OTA_WITHOUT_ROLLBACK
#define SECURE_OTA_WITHOUT_ROLLBACK 0
#endif
#ifndef SECURE_OTA_PROFILE_NAME
#define SECURE_OTA_PROFILE_NAME "secure"
#endif

#define SECURE_OTA_WEAKENED                                                                                      \
    (SECURE_OTA_WITHOUT_PINNING || SECURE_OTA_WITHOUT_SIGNATURE || SECURE_OTA_WITHOUT_HASH ||                    \
     SECURE_OTA_WITHOUT_SIZE_CHECK || SECURE_OTA_WITHOUT_ANTI_REPLAY || SECURE_OTA_WITHOUT_ANTI_DOWNGRADE ||     \
     SECURE_OTA_WITHOUT_TIME_FLOOR || SECURE_OTA_WITHOUT_ROLLBACK)

// A real board (Arduino-ESP32 or ESP-IDF) only ever carries every check: a weakened profile is
// a lab exhibit for the virtual ESP32, never firmware for a device in someone's hands.
#if (defined(ARDUINO) || defined(ESP_PLATFORM)) && SECURE_OTA_WEAKENED
#error "secure_ota: weakened defence profiles (SECURE_OTA_WITHOUT_*) are for the virtual ESP32 only; a real board builds the secure profile"
#endif
#if !SECURE_OTA_WEAKENED
static_assert(sizeof(SECURE_OTA_PROFILE_NAME) == sizeof("secure"), "a build with every check is the secure profile");
#endif

namespace secure_ota {

namespace {
constexpr DefenceProfile kProfile{SECURE_OTA_PROFILE_NAME,
                                  !SECURE_OTA_WITHOUT_PINNING,
                                  !SECURE_OTA_WITHOUT_SIGNATURE,
                                  !SECURE_OTA_WITHOUT_HASH,
                                  !SECURE_OTA_WITHOUT_SIZE_CHECK,
                                  !SECURE_OTA_WITHOUT_ANTI_REPLAY,
                                  !SECURE_OTA_WITHOUT_ANTI_DOWNGRADE,
                                  !SECURE_OTA_WITHOUT_TIME_FLOOR,
                                  !SECURE_OTA_WITHOUT_ROLLBACK};
}  // namespace

const DefenceProfile& defence_profile() { return kProfile; }

}  // namespace secure_ota
