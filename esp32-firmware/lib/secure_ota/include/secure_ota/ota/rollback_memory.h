// What the device remembers of an update that was rolled back. ESP-IDF lets an app ask
// esp_ota_get_last_invalid_partition() for the slot that the app marked invalid (its self-test
// failed) or that the bootloader aborted (it never confirmed itself: a crash, a hang, or a
// power cut before its self-test ended). That slot is overwritten by the next download, so the
// device keeps the version and image SHA-256 in a store of its own, with whether the server has
// heard of it. Both kinds are reported; only an image that marked itself invalid is refused
// (VERSION_ROLLED_BACK) instead of being downloaded, booted and rolled back on every check. An
// aborted one may have been fine (the power went), so it is offered again. A newer version is
// always accepted.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "secure_ota/flash.h"
#include "secure_ota/partition_table.h"

namespace secure_ota::ota {

struct RolledBackImage {
    std::string version;             // from the image's esp_app_desc_t (at most 31 bytes)
    std::array<uint8_t, 32> sha256{};  // SHA-256 of the whole image, as a manifest names it
    bool marked_invalid = false;     // INVALID (the app's own verdict), not ABORTED
    bool reported = false;           // the server has acknowledged a "rolled_back" report
    std::string reason;              // why, for the report (not persisted by every store)

    bool same_rollback(const RolledBackImage& o) const {
        return version == o.version && sha256 == o.sha256 && marked_invalid == o.marked_invalid;
    }
};

// Where the remembered rollback survives reboots (NVS on the ESP32, a file on the host). It
// holds the last one only: a newer rollback replaces it.
class RollbackStore {
public:
    virtual ~RollbackStore() = default;
    virtual std::optional<RolledBackImage> load() = 0;
    virtual bool store(const RolledBackImage& image) = 0;
};

class RamRollbackStore : public RollbackStore {
public:
    std::optional<RolledBackImage> load() override { return image_; }
    bool store(const RolledBackImage& image) override {
        image_ = image;
        return true;
    }

private:
    std::optional<RolledBackImage> image_;
};

// esp_ota_get_last_invalid_partition(), then the image it still holds: the OTA slot of the
// newest otadata entry (CRC valid) in state ABORTED or INVALID, unless it is the running
// slot, if that slot holds a valid app image for `chip`.
std::optional<RolledBackImage> find_rolled_back_image(Flash& flash, const PartitionTable& table,
                                                      const PartitionEntry& running, uint16_t chip);

// 64 lowercase hex digits.
std::string sha256_hex(const std::array<uint8_t, 32>& digest);

}  // namespace secure_ota::ota
