// Anti-rollback's stored minimum secure_version. On the ESP32 it is an eFuse field that can
// only grow (bits are burnt, never cleared); the host board keeps the same bit field in a
// file next to the flash image. Not in flash: erasing flash must not reset it.
#pragma once

#include <cstdint>

namespace secure_ota {

class SecureVersionStore {
public:
    virtual ~SecureVersionStore() = default;
    virtual uint32_t min_secure_version() const = 0;
    // Raises the minimum; a lower value is ignored (eFuse bits cannot be un-burnt).
    virtual bool raise_min_secure_version(uint32_t version) = 0;
};

// For tests and boards without anti-rollback fuses.
class RamSecureVersionStore : public SecureVersionStore {
public:
    explicit RamSecureVersionStore(uint32_t initial = 0) : min_(initial) {}
    uint32_t min_secure_version() const override { return min_; }
    bool raise_min_secure_version(uint32_t v) override {
        if (v > min_) min_ = v;
        return true;
    }

private:
    uint32_t min_;
};

}  // namespace secure_ota
