// The app side of OTA (esp_ota_ops.h): the OtaOps interface the update engine and the
// runtime write images and switch slots through, and the OtaError codes named after ESP-IDF's.
#pragma once

#include <cstdint>
#include <string>

#include "secure_ota/ota_data.h"
#include "secure_ota/partition_table.h"

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

// The app side of OTA as the engine and the runtime see it, one call per esp_ota_* function.
// Two backends: FlashOtaOps (flash_ota_ops.h), a byte-exact model of esp_ota_ops.c over the
// Flash interface, which the virtual board runs and the tests prove against ESP-IDF's rules;
// and on the real chip ports/esp32/esp32_ota_ops.*, which calls ESP-IDF's own esp_ota_* API
// (so flash encryption and Secure Boot are handled by ESP-IDF, not bypassed).
class OtaOps {
public:
    static constexpr size_t kHeldBackBytes = 16;     // Arduino Update's ENCRYPTED_BLOCK_SIZE
    static constexpr uint32_t kSizeUnknown = 0xFFFFFFFF;  // OTA_SIZE_UNKNOWN

    virtual ~OtaOps() = default;

    virtual const PartitionTable& table() const = 0;
    virtual const PartitionEntry& running_partition() const = 0;
    // esp_ota_get_next_update_partition(): the OTA slot after the running one (ota_0 from factory).
    virtual const PartitionEntry* next_update_partition() const = 0;
    // esp_ota_get_state_partition() for the running slot; Undefined for factory.
    virtual OtaImgState running_state() const = 0;
    // esp_ota_get_boot_partition(): which slot otadata will boot next (nullptr: factory/ota_0 default).
    virtual const PartitionEntry* boot_partition() const = 0;

    // --- writing an image (esp_ota_begin / esp_ota_write / esp_ota_end) ---
    // The first kHeldBackBytes of the image are held back in RAM and written by end(), after
    // the whole image has been verified, so an interrupted or refused image is never bootable.
    virtual OtaError begin(const PartitionEntry& target, uint32_t image_size = kSizeUnknown) = 0;
    virtual OtaError write(const void* data, size_t length) = 0;
    virtual OtaError end() = 0;    // verifies the whole image, then writes the held-back header
    virtual void abort() = 0;      // esp_ota_abort / Update.abort(): nothing more is written
    virtual bool in_progress() const = 0;
    virtual uint32_t bytes_received() const = 0;
    // Resuming a dropped download: bytes from this offset on must be sent again. Data is
    // programmed in whole 4 KiB sectors, so this is the last sector boundary reached.
    virtual uint32_t resume_offset() const = 0;
    virtual OtaError resume_from(uint32_t offset) = 0;

    // --- activating and confirming ---
    // esp_ota_set_boot_partition(): verify, anti-rollback check, then the next otadata seq, NEW.
    virtual OtaError set_boot_partition(const PartitionEntry& target) = 0;
    // esp_ota_mark_app_valid_cancel_rollback(); also raises the anti-rollback minimum.
    virtual OtaError mark_app_valid_cancel_rollback() = 0;
    // esp_ota_mark_app_invalid_rollback_and_reboot(): the model returns and the caller restarts;
    // ESP-IDF restarts the chip itself when the rollback is possible.
    virtual OtaError mark_app_invalid_rollback() = 0;

    virtual const std::string& last_error() const = 0;
};

}  // namespace secure_ota
