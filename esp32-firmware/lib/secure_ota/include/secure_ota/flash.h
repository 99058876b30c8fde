// The one interface through which every flash access goes: the bootloader, the apps and the
// OTA code never touch storage any other way. That single choke point is what lets the
// virtual board enforce NOR semantics and cut power at an exact operation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace secure_ota {

// SPI NOR flash on the ESP32 erases in 4 KiB sectors; every partition is sector aligned.
constexpr uint32_t kFlashSectorSize = 0x1000;

enum class FlashStatus {
    Ok,
    OutOfRange,   // address/length outside the chip
    Misaligned,   // erase not on whole, aligned sectors
    NotErased,    // write to bytes that are not 0xFF: a bug, NOR cannot set bits
    PowerLost,    // the simulated power cut happened during or before this operation
    IoError,      // the backend failed (real chip error, host I/O error)
};

const char* to_string(FlashStatus status);

class Flash {
public:
    virtual ~Flash() = default;

    virtual uint32_t size() const = 0;
    virtual FlashStatus read(uint32_t address, void* out, size_t length) const = 0;
    // Programs bytes; each target byte must be erased (0xFF) beforehand.
    virtual FlashStatus write(uint32_t address, const void* data, size_t length) = 0;
    // Erases whole sectors: address and length must be multiples of kFlashSectorSize.
    virtual FlashStatus erase(uint32_t address, size_t length) = 0;
};

}  // namespace secure_ota
