// The app side of OTA, after ESP-IDF's esp_ota_ops.c: write an image into the inactive slot,
// point otadata at it, confirm or reject the running app. Portable: it only needs the flash
// interface, so the same code writes the host flash file and a real chip, and the OTA engine
// (issue 7) streams into it through begin()/write()/end().
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
#include "secure_ota/ota_data.h"
#include "secure_ota/partition_table.h"
#include "secure_ota/secure_version_store.h"

namespace secure_ota {

// Named after the esp_err_t each one stands for.
enum class OtaError {
    Ok,
    InvalidArgument,       // ESP_ERR_INVALID_ARG: not an OTA slot, zero or oversize image
    PartitionConflict,     // ESP_ERR_OTA_PARTITION_CONFLICT: target is the running slot
    RollbackInvalidState,  // ESP_ERR_OTA_ROLLBACK_INVALID_STATE: running app not confirmed yet
    NoSession,             // ESP_ERR_INVALID_STATE: write/end without begin
    SizeMismatch,          // more bytes than announced, or fewer at end()
    ValidateFailed,        // ESP_ERR_OTA_VALIDATE_FAILED: first byte not 0xE9, image invalid
    SmallSecureVersion,    // ESP_ERR_OTA_SMALL_SEC_VER: below the anti-rollback minimum
    NoOtaData,             // ESP_ERR_NOT_FOUND: no otadata partition
    NotAnOtaApp,           // ESP_FAIL: running from factory / otadata has no active entry
    RollbackFailed,        // ESP_ERR_OTA_ROLLBACK_FAILED: no other valid app to go back to
    FlashFailed,           // the flash refused or lost power
};

const char* to_string(OtaError e);

class OtaOps {
public:
    static constexpr size_t kHeldBackBytes = 16;     // Arduino Update's ENCRYPTED_BLOCK_SIZE
    static constexpr uint32_t kSizeUnknown = 0xFFFFFFFF;  // OTA_SIZE_UNKNOWN

    OtaOps(Flash& flash, PartitionTable table, PartitionEntry running, SecureVersionStore& fuses, uint16_t chip);

    const PartitionTable& table() const { return table_; }
    const PartitionEntry& running_partition() const { return running_; }
    // esp_ota_get_next_update_partition(): the OTA slot after the running one (ota_0 from factory).
    const PartitionEntry* next_update_partition() const;
    // esp_ota_get_state_partition() for the running slot; Undefined for factory.
    OtaImgState running_state() const;
    // Which slot otadata will boot next (nullptr: factory/ota_0 default).
    const PartitionEntry* boot_partition() const;

    // --- writing an image (esp_ota_begin / esp_ota_write / esp_ota_end) ---
    OtaError begin(const PartitionEntry& target, uint32_t image_size = kSizeUnknown);
    OtaError write(const void* data, size_t length);
    OtaError end();    // verifies the whole image, then writes the held-back header
    void abort();      // esp_ota_abort / Update.abort(): nothing more is written
    bool in_progress() const { return session_.active; }
    uint32_t bytes_received() const { return session_.received; }
    // Resuming a dropped download: bytes from this offset on must be sent again. Data is
    // programmed in whole 4 KiB sectors, so this is the last sector boundary reached.
    uint32_t resume_offset() const { return session_.flushed; }
    OtaError resume_from(uint32_t offset);

    // --- activating and confirming ---
    // esp_ota_set_boot_partition(): verify, anti-rollback check, then the next otadata seq, NEW.
    OtaError set_boot_partition(const PartitionEntry& target);
    // esp_ota_mark_app_valid_cancel_rollback(); also raises the anti-rollback minimum.
    OtaError mark_app_valid_cancel_rollback();
    // esp_ota_mark_app_invalid_rollback_and_reboot() without the reboot: the caller restarts.
    OtaError mark_app_invalid_rollback();

    const std::string& last_error() const { return last_error_; }

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
