// OtaOps over the Flash interface, after ESP-IDF's esp_ota_ops.c, byte for byte: the image
// into the inactive slot, otadata seq and states exactly as ESP-IDF writes them, the anti-
// rollback minimum in the SecureVersionStore. Portable, so the same code writes the host's
// flash file and is proved by the tests against ESP-IDF's rules (the virtual board runs it;
// the real chip uses ESP-IDF's own esp_ota_* calls through ports/esp32/esp32_ota_ops.*).
//
// Writing follows Arduino's Update class where it is safer than esp_ota_write(): the first
// 16 bytes of the image (its header) are held back in RAM and written last, by end(), after
// the whole image has been verified. A slot whose write was cut or refused therefore starts
// with 0xFF and can never be booted, not even by the bootloader's fallback scan.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "secure_ota/app_image.h"
#include "secure_ota/flash.h"
#include "secure_ota/ota_ops.h"
#include "secure_ota/secure_version_store.h"

namespace secure_ota {

class FlashOtaOps : public OtaOps {
public:
    FlashOtaOps(Flash& flash, PartitionTable table, PartitionEntry running, SecureVersionStore& fuses, uint16_t chip);

    const PartitionTable& table() const override { return table_; }
    const PartitionEntry& running_partition() const override { return running_; }
    // esp_ota_get_next_update_partition(): the OTA slot after the running one (ota_0 from factory).
    const PartitionEntry* next_update_partition() const override;
    // esp_ota_get_state_partition() for the running slot; Undefined for factory.
    OtaImgState running_state() const override;
    // Which slot otadata will boot next (nullptr: factory/ota_0 default).
    const PartitionEntry* boot_partition() const override;

    // --- writing an image (esp_ota_begin / esp_ota_write / esp_ota_end) ---
    OtaError begin(const PartitionEntry& target, uint32_t image_size = kSizeUnknown) override;
    OtaError write(const void* data, size_t length) override;
    OtaError end() override;    // verifies the whole image, then writes the held-back header
    void abort() override;      // esp_ota_abort / Update.abort(): nothing more is written
    bool in_progress() const override { return session_.active; }
    uint32_t bytes_received() const override { return session_.received; }
    // Resuming a dropped download: bytes from this offset on must be sent again. Data is
    // programmed in whole 4 KiB sectors, so this is the last sector boundary reached.
    uint32_t resume_offset() const override { return session_.flushed; }
    OtaError resume_from(uint32_t offset) override;

    // --- activating and confirming ---
    // esp_ota_set_boot_partition(): verify, anti-rollback check, then the next otadata seq, NEW.
    OtaError set_boot_partition(const PartitionEntry& target) override;
    // esp_ota_mark_app_valid_cancel_rollback(); also raises the anti-rollback minimum.
    OtaError mark_app_valid_cancel_rollback() override;
    // esp_ota_mark_app_invalid_rollback_and_reboot() without the reboot: the caller restarts.
    OtaError mark_app_invalid_rollback() override;

    const std::string& last_error() const override { return last_error_; }

private:
    struct Session {
        bool active = false;
        PartitionEntry target;
        uint32_t expected = kSizeUnknown;
        uint32_t received = 0;
        uint32_t flushed = 0;       // bytes programmed (or held back) so far; sector aligned
        uint32_t erased_to = 0;     // sectors [0, erased_to) of the target are erased
        std::array<uint8_t, kHeldBackBytes> held{};
        std::vector<uint8_t> block; // bytes of the sector being filled
    };

    OtaError fail(OtaError e, const std::string& why);
    OtaError flash_fail(FlashStatus status, const std::string& what);
    OtaError flush_block();
    OtaError invalidate_inactive_otadata();
    bool slot_has_valid_image(const PartitionEntry& part) const;

    Flash& flash_;
    PartitionTable table_;
    PartitionEntry running_;
    SecureVersionStore& fuses_;
    uint16_t chip_;
    Session session_;
    std::string last_error_;
};

}  // namespace secure_ota
