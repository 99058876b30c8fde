#include "secure_ota/nor_flash.h"

#include <cstdio>
#include <cstring>

namespace secure_ota {

const char* to_string(FlashStatus status) {
    switch (status) {
        case FlashStatus::Ok: return "ok";
        case FlashStatus::OutOfRange: return "out of range";
        case FlashStatus::Misaligned: return "misaligned erase";
        case FlashStatus::NotErased: return "write to non-erased flash";
        case FlashStatus::PowerLost: return "power lost";
        case FlashStatus::IoError: return "I/O error";
    }
    return "unknown";
}

NorFlash::NorFlash(uint8_t* storage, uint32_t size) : storage_(storage), size_(size) {}

bool NorFlash::in_range(uint32_t address, size_t length) const {
    return address <= size_ && length <= size_ - address;
}

FlashStatus NorFlash::refuse(FlashStatus status, const char* message) {
    last_error_ = message;
    if (reporter_ && (status == FlashStatus::NotErased || status == FlashStatus::Misaligned)) reporter_(last_error_);
    return status;
}

FlashStatus NorFlash::read(uint32_t address, void* out, size_t length) const {
    if (!in_range(address, length)) return FlashStatus::OutOfRange;
    std::memcpy(out, storage_ + address, length);
    return FlashStatus::Ok;
}

FlashStatus NorFlash::write(uint32_t address, const void* data, size_t length) {
    char msg[160];
    if (!in_range(address, length)) {
        std::snprintf(msg, sizeof msg, "flash write of %zu bytes at 0x%06x is outside the %u-byte chip",
                      length, unsigned(address), unsigned(size_));
        return refuse(FlashStatus::OutOfRange, msg);
    }
    // Checked before any byte changes so that a refused write leaves flash untouched.
    for (size_t i = 0; i < length; ++i) {
        if (storage_[address + i] != 0xFF) {
            std::snprintf(msg, sizeof msg,
                          "flash write at 0x%06x: byte 0x%06zx is 0x%02x, not erased (0xFF); "
                          "NOR can only clear bits, erase the sector first",
                          unsigned(address), size_t(address + i), storage_[address + i]);
            return refuse(FlashStatus::NotErased, msg);
        }
    }
    const auto* src = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < length; ++i) storage_[address + i] &= src[i];
    return FlashStatus::Ok;
}

FlashStatus NorFlash::erase(uint32_t address, size_t length) {
    char msg[160];
    if (address % kFlashSectorSize != 0 || length % kFlashSectorSize != 0) {
        std::snprintf(msg, sizeof msg,
                      "flash erase at 0x%06x length 0x%zx is not aligned to 0x%x-byte sectors",
                      unsigned(address), length, unsigned(kFlashSectorSize));
        return refuse(FlashStatus::Misaligned, msg);
    }
    if (!in_range(address, length)) {
        std::snprintf(msg, sizeof msg, "flash erase at 0x%06x length 0x%zx is outside the chip",
                      unsigned(address), length);
        return refuse(FlashStatus::OutOfRange, msg);
    }
    std::memset(storage_ + address, 0xFF, length);
    return FlashStatus::Ok;
}

}  // namespace secure_ota
