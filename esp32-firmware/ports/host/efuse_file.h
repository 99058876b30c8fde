// The anti-rollback eFuse field of the virtual chip, kept in "<flash file>.efuse" (4 bytes,
// little-endian). As on the ESP32, the secure version is the number of bits set and a bit
// once set stays set: the minimum can only grow, and reflashing the flash file does not
// lower it (only `virtual-esp32 factory`, which models a new chip, starts from zero).
#pragma once

#include <string>

#include "secure_ota/secure_version_store.h"

namespace vesp32 {

class EfuseFile : public secure_ota::SecureVersionStore {
public:
    explicit EfuseFile(std::string path) : path_(std::move(path)) {}
    static std::string path_for_flash(const std::string& flash_path) { return flash_path + ".efuse"; }
    static bool create_blank(const std::string& path, std::string& error);

    uint32_t min_secure_version() const override;
    bool raise_min_secure_version(uint32_t version) override;

private:
    uint32_t read_field() const;
    std::string path_;
};

}  // namespace vesp32
