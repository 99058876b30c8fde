// The core's OtaOps on the real chip, through ESP-IDF's own OTA API (esp_ota_ops.h), so that
// ESP-IDF writes otadata and verifies images itself and flash encryption and Secure Boot are
// honoured, never bypassed by raw flash writes:
//   begin  -> esp_ota_begin (erases the image's sectors; refuses the running slot and an
//             unconfirmed running app, as the model does)
//   write  -> esp_ota_write_with_offset, in whole 4 KiB sectors, the first 16 bytes held back
//   end    -> the held-back header, then esp_ota_end (ESP-IDF's full image verification); a
//             refused image gets its first sector erased, so it can never be booted
//   set_boot_partition             -> anti-rollback check, esp_ota_set_boot_partition
//   mark_app_valid_cancel_rollback -> esp_ota_mark_app_valid_cancel_rollback (+ NVS minimum)
//   mark_app_invalid_rollback      -> esp_ota_mark_app_invalid_rollback_and_reboot
//   running_state                  -> esp_ota_get_state_partition
// The virtual board runs FlashOtaOps, the core's byte-exact model of the same calls.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <esp_ota_ops.h>

#include "secure_ota/ota_ops.h"
#include "secure_ota/secure_version_store.h"

namespace esp32_port {

class Esp32OtaOps : public secure_ota::OtaOps {
public:
    Esp32OtaOps(secure_ota::PartitionTable table, secure_ota::PartitionEntry running, secure_ota::SecureVersionStore& fuses);
    ~Esp32OtaOps() override;

    const secure_ota::PartitionTable& table() const override { return table_; }
    const secure_ota::PartitionEntry& running_partition() const override { return running_; }
    const secure_ota::PartitionEntry* next_update_partition() const override;
    secure_ota::OtaImgState running_state() const override;
    const secure_ota::PartitionEntry* boot_partition() const override;

    secure_ota::OtaError begin(const secure_ota::PartitionEntry& target, uint32_t image_size = kSizeUnknown) override;
    secure_ota::OtaError write(const void* data, size_t length) override;
    secure_ota::OtaError end() override;
    void abort() override;
    bool in_progress() const override { return active_; }
    uint32_t bytes_received() const override { return received_; }
    uint32_t resume_offset() const override { return flushed_; }
    secure_ota::OtaError resume_from(uint32_t offset) override;

    secure_ota::OtaError set_boot_partition(const secure_ota::PartitionEntry& target) override;
    secure_ota::OtaError mark_app_valid_cancel_rollback() override;
    secure_ota::OtaError mark_app_invalid_rollback() override;

    const std::string& last_error() const override { return last_error_; }

private:
    const esp_partition_t* partition_of(const secure_ota::PartitionEntry& entry) const;
    const secure_ota::PartitionEntry* entry_of(const esp_partition_t* partition) const;
    secure_ota::OtaError fail(secure_ota::OtaError e, const std::string& why);
    secure_ota::OtaError idf_fail(esp_err_t err, const char* call);
    secure_ota::OtaError flush_block();

    secure_ota::PartitionTable table_;
    secure_ota::PartitionEntry running_;
    secure_ota::SecureVersionStore& fuses_;
    bool active_ = false;
    esp_ota_handle_t handle_ = 0;
    const esp_partition_t* target_ = nullptr;
    uint32_t expected_ = kSizeUnknown;
    uint32_t received_ = 0;
    uint32_t flushed_ = 0;  // bytes handed to ESP-IDF (or held back) so far; sector aligned
    std::array<uint8_t, kHeldBackBytes> held_{};
    std::vector<uint8_t> block_;  // bytes of the sector being filled
    std::string last_error_;
};

}  // namespace esp32_port
