#include "esp32_ota_ops.h"

#include <algorithm>
#include <cstring>

#include <esp_err.h>
#include <esp_partition.h>

namespace esp32_port {

using secure_ota::OtaError;
using secure_ota::OtaImgState;
using secure_ota::PartitionEntry;

namespace {

constexpr uint32_t kSector = 4096;
constexpr uint8_t kImageMagic = 0xE9;

OtaError error_of(esp_err_t err) {
    switch (err) {
        case ESP_OK: return OtaError::Ok;
        case ESP_ERR_INVALID_ARG:
        case ESP_ERR_INVALID_SIZE: return OtaError::InvalidArgument;
        case ESP_ERR_OTA_PARTITION_CONFLICT: return OtaError::PartitionConflict;
        case ESP_ERR_OTA_ROLLBACK_INVALID_STATE: return OtaError::RollbackInvalidState;
        case ESP_ERR_INVALID_STATE: return OtaError::NoSession;
        case ESP_ERR_OTA_VALIDATE_FAILED: return OtaError::ValidateFailed;
        case ESP_ERR_OTA_SMALL_SEC_VER: return OtaError::SmallSecureVersion;
        case ESP_ERR_NOT_FOUND: return OtaError::NoOtaData;
        case ESP_FAIL: return OtaError::NotAnOtaApp;
        case ESP_ERR_OTA_ROLLBACK_FAILED: return OtaError::RollbackFailed;
        default: return OtaError::FlashFailed;
    }
}

OtaImgState state_of(esp_ota_img_states_t s) {
    switch (s) {
        case ESP_OTA_IMG_NEW: return OtaImgState::New;
        case ESP_OTA_IMG_PENDING_VERIFY: return OtaImgState::PendingVerify;
        case ESP_OTA_IMG_VALID: return OtaImgState::Valid;
        case ESP_OTA_IMG_INVALID: return OtaImgState::Invalid;
        case ESP_OTA_IMG_ABORTED: return OtaImgState::Aborted;
        default: return OtaImgState::Undefined;
    }
}

}  // namespace

Esp32OtaOps::Esp32OtaOps(secure_ota::PartitionTable table, PartitionEntry running, secure_ota::SecureVersionStore& fuses)
    : table_(std::move(table)), running_(std::move(running)), fuses_(fuses) {}

Esp32OtaOps::~Esp32OtaOps() { abort(); }

const esp_partition_t* Esp32OtaOps::partition_of(const PartitionEntry& entry) const {
    return esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_ANY, entry.label.c_str());
}

const PartitionEntry* Esp32OtaOps::entry_of(const esp_partition_t* partition) const {
    return partition ? table_.find_containing(partition->address) : nullptr;
}

OtaError Esp32OtaOps::fail(OtaError e, const std::string& why) {
    last_error_ = why;
    return e;
}

OtaError Esp32OtaOps::idf_fail(esp_err_t err, const char* call) {
    return fail(error_of(err), std::string(call) + ": " + esp_err_to_name(err));
}

const PartitionEntry* Esp32OtaOps::next_update_partition() const {
    return entry_of(esp_ota_get_next_update_partition(nullptr));
}

OtaImgState Esp32OtaOps::running_state() const {
    esp_ota_img_states_t state;
    if (esp_ota_get_state_partition(esp_ota_get_running_partition(), &state) != ESP_OK) return OtaImgState::Undefined;
    return state_of(state);
}

const PartitionEntry* Esp32OtaOps::boot_partition() const { return entry_of(esp_ota_get_boot_partition()); }

OtaError Esp32OtaOps::begin(const PartitionEntry& target, uint32_t image_size) {
    abort();
    const esp_partition_t* part = partition_of(target);
    if (!part) return fail(OtaError::InvalidArgument, "'" + target.label + "' is not an app partition");
    if (image_size == 0 || (image_size != kSizeUnknown && image_size > target.size))
        return fail(OtaError::InvalidArgument, "image of " + std::to_string(image_size) + " bytes does not fit slot '" +
                                                   target.label + "' (" + std::to_string(target.size) + " bytes)");
    // A known size erases just the image's sectors; unknown erases the whole slot.
    esp_err_t err = esp_ota_begin(part, image_size == kSizeUnknown ? OTA_SIZE_UNKNOWN : size_t(image_size), &handle_);
    if (err != ESP_OK) return idf_fail(err, "esp_ota_begin");
    active_ = true;
    target_ = part;
    expected_ = image_size;
    received_ = flushed_ = 0;
    held_.fill(0xFF);
    block_.clear();
    block_.reserve(kSector);
    return OtaError::Ok;
}

OtaError Esp32OtaOps::flush_block() {
    if (block_.empty()) return OtaError::Ok;
    uint32_t at = flushed_;
    const uint8_t* p = block_.data();
    size_t n = block_.size();
    if (at < kHeldBackBytes) {  // the header stays in RAM until end()
        size_t skip = std::min<size_t>(kHeldBackBytes - at, n);
        std::memcpy(held_.data() + at, p, skip);
        p += skip;
        n -= skip;
        at += uint32_t(skip);
    }
    if (n > 0) {
        esp_err_t err = esp_ota_write_with_offset(handle_, p, n, at);
        if (err != ESP_OK) {
            abort();
            return idf_fail(err, "esp_ota_write_with_offset");
        }
    }
    flushed_ += uint32_t(block_.size());
    block_.clear();
    return OtaError::Ok;
}

OtaError Esp32OtaOps::write(const void* data, size_t length) {
    if (!active_) return fail(OtaError::NoSession, "call begin() first");
    const uint8_t* p = static_cast<const uint8_t*>(data);
    if (expected_ != kSizeUnknown && length > expected_ - received_) {
        abort();
        return fail(OtaError::SizeMismatch, "more than the announced " + std::to_string(expected_) + " bytes");
    }
    if (received_ == 0 && length > 0 && p[0] != kImageMagic) {  // what esp_ota_write checks first
        abort();
        return fail(OtaError::ValidateFailed, "first byte is not 0xE9");
    }
    while (length > 0) {
        size_t room = kSector - block_.size();
        size_t n = std::min(room, length);
        block_.insert(block_.end(), p, p + n);
        p += n;
        length -= n;
        received_ += uint32_t(n);
        if (block_.size() == kSector) {
            OtaError e = flush_block();
            if (e != OtaError::Ok) return e;
        }
    }
    return OtaError::Ok;
}

OtaError Esp32OtaOps::resume_from(uint32_t offset) {
    if (!active_) return fail(OtaError::NoSession, "nothing to resume");
    if (offset != flushed_)
        return fail(OtaError::InvalidArgument, "resume offset must be resume_offset() = " + std::to_string(flushed_));
    block_.clear();
    received_ = flushed_;
    return OtaError::Ok;
}

void Esp32OtaOps::abort() {
    if (!active_) return;
    esp_ota_abort(handle_);
    active_ = false;
}

OtaError Esp32OtaOps::end() {
    if (!active_) return fail(OtaError::NoSession, "call begin() first");
    if (expected_ != kSizeUnknown && received_ != expected_) {
        abort();
        return fail(OtaError::SizeMismatch,
                    "received " + std::to_string(received_) + " of " + std::to_string(expected_) + " bytes");
    }
    OtaError e = flush_block();
    if (e != OtaError::Ok) return e;
    size_t held = std::min<size_t>(kHeldBackBytes, flushed_);
    esp_err_t err = esp_ota_write_with_offset(handle_, held_.data(), held, 0);
    if (err != ESP_OK) {
        abort();
        return idf_fail(err, "esp_ota_write_with_offset (header)");
    }
    active_ = false;
    err = esp_ota_end(handle_);  // frees the handle whatever the result
    if (err != ESP_OK) {
        // The header is in flash now: take it out again, so the refused image is never bootable.
        esp_partition_erase_range(target_, 0, kSector);
        return idf_fail(err, "esp_ota_end");
    }
    return OtaError::Ok;
}

OtaError Esp32OtaOps::set_boot_partition(const PartitionEntry& target) {
    const esp_partition_t* part = partition_of(target);
    if (!part) return fail(OtaError::InvalidArgument, "'" + target.label + "' is not an app partition");
    // The anti-rollback minimum lives in NVS on this board (see esp32_board.h), so ESP-IDF
    // cannot check it: this is the model's check, before ESP-IDF verifies and switches.
    esp_app_desc_t desc;
    esp_err_t err = esp_ota_get_partition_description(part, &desc);
    if (err != ESP_OK) return idf_fail(err, "esp_ota_get_partition_description");
    if (desc.secure_version < fuses_.min_secure_version())
        return fail(OtaError::SmallSecureVersion, "image secure_version " + std::to_string(desc.secure_version) +
                                                      " < minimum " + std::to_string(fuses_.min_secure_version()));
    err = esp_ota_set_boot_partition(part);
    if (err != ESP_OK) return idf_fail(err, "esp_ota_set_boot_partition");
    return OtaError::Ok;
}

OtaError Esp32OtaOps::mark_app_valid_cancel_rollback() {
    if (!running_.is_ota_app()) return fail(OtaError::NotAnOtaApp, "running the factory app: nothing to confirm");
    esp_err_t err = esp_ota_mark_app_valid_cancel_rollback();
    if (err != ESP_OK) return idf_fail(err, "esp_ota_mark_app_valid_cancel_rollback");
    esp_app_desc_t desc;
    if (esp_ota_get_partition_description(esp_ota_get_running_partition(), &desc) == ESP_OK)
        fuses_.raise_min_secure_version(desc.secure_version);
    return OtaError::Ok;
}

OtaError Esp32OtaOps::mark_app_invalid_rollback() {
    if (!running_.is_ota_app()) return fail(OtaError::NotAnOtaApp, "running the factory app");
    // Restarts the chip when a rollback is possible; returns only when it is not.
    esp_err_t err = esp_ota_mark_app_invalid_rollback_and_reboot();
    return idf_fail(err, "esp_ota_mark_app_invalid_rollback_and_reboot");
}

}  // namespace esp32_port
