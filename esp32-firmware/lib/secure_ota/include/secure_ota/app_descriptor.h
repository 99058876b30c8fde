// esp_app_desc_t: the 256-byte record at the start of an app image's first segment
// (file offset 0x20). It carries the version that OTA compares and the secure_version that
// anti-rollback compares.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace secure_ota {

struct AppDescriptor {
    static constexpr uint32_t kMagic = 0xABCD5432;
    static constexpr size_t kSize = 256;
    static constexpr uint32_t kImageOffset = 0x20;  // 24-byte header + 8-byte segment header

    uint32_t secure_version = 0;
    std::string version;       // char[32]
    std::string project_name;  // char[32]
    std::string time;          // char[16]
    std::string date;          // char[16]
    std::string idf_ver;       // char[32]
    std::array<uint8_t, 32> app_elf_sha256{};

    std::array<uint8_t, kSize> serialize() const;
    static std::optional<AppDescriptor> parse(const uint8_t* bytes);  // nullopt: bad magic
};

}  // namespace secure_ota
