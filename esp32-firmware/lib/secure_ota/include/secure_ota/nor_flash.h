// NOR flash semantics over a plain byte array. The host board maps its 4 MB flash file into
// memory and hands the mapping here, the unit tests hand a std::vector: both get the same
// rules (erased = 0xFF, a write only clears bits, erase per aligned sector).
#pragma once

#include <functional>
#include <string>

#include "secure_ota/flash.h"

namespace secure_ota {

class NorFlash : public Flash {
public:
    // `storage` must outlive this object; its size must be a multiple of the sector size.
    NorFlash(uint8_t* storage, uint32_t size);

    uint32_t size() const override { return size_; }
    FlashStatus read(uint32_t address, void* out, size_t length) const override;
    FlashStatus write(uint32_t address, const void* data, size_t length) override;
    FlashStatus erase(uint32_t address, size_t length) override;

    // Why the last refused operation was refused, with addresses: a NOR violation is a
    // firmware bug, so the report has to point at the offending bytes.
    const std::string& last_error() const { return last_error_; }
    // Called with that explanation on every NOR violation (non-erased write, misaligned
    // erase) as it happens; the host board prints it on stderr and on the UART, so a bug
    // shows up where people look even if the caller drops the error code.
    void set_violation_reporter(std::function<void(const std::string&)> reporter) { reporter_ = std::move(reporter); }

private:
    bool in_range(uint32_t address, size_t length) const;
    FlashStatus refuse(FlashStatus status, const char* message);

    uint8_t* storage_;
    uint32_t size_;
    std::string last_error_;
    std::function<void(const std::string&)> reporter_;
};

}  // namespace secure_ota
