// The ESP-IDF partition table (gen_esp32part.py's binary form) at flash offset 0x8000:
// 32-byte entries `<2sBBLL16sL`, an MD5 record, 0xFF to the end of the sector.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "secure_ota/flash.h"

namespace secure_ota {

constexpr uint32_t kPartitionTableOffset = 0x8000;
constexpr uint32_t kPartitionTableMaxLength = 0xC00;  // ESP-IDF's limit, rest of sector 0xFF
constexpr size_t kPartitionEntrySize = 32;

enum class PartitionType : uint8_t { App = 0x00, Data = 0x01 };

namespace app_subtype {
constexpr uint8_t kFactory = 0x00;
constexpr uint8_t kOtaMin = 0x10;  // ota_0
constexpr uint8_t kOtaMax = 0x1F;  // ota_15
constexpr uint8_t kTest = 0x20;
}  // namespace app_subtype

namespace data_subtype {
constexpr uint8_t kOta = 0x00;
constexpr uint8_t kPhy = 0x01;
constexpr uint8_t kNvs = 0x02;
constexpr uint8_t kCoredump = 0x03;
constexpr uint8_t kNvsKeys = 0x04;
constexpr uint8_t kSpiffs = 0x82;
}  // namespace data_subtype

struct PartitionEntry {
    uint8_t type = 0;
    uint8_t subtype = 0;
    uint32_t offset = 0;
    uint32_t size = 0;
    std::string label;  // at most 16 bytes; NUL padded on flash
    uint32_t flags = 0;

    bool is_app() const { return type == static_cast<uint8_t>(PartitionType::App); }
    bool is_factory_app() const { return is_app() && subtype == app_subtype::kFactory; }
    bool is_ota_app() const {
        return is_app() && subtype >= app_subtype::kOtaMin && subtype <= app_subtype::kOtaMax;
    }
    int ota_index() const { return is_ota_app() ? subtype - app_subtype::kOtaMin : -1; }
    // "app", "data" or "0x40": the type as gen_esp32part.py writes it in a CSV.
    std::string type_name() const;
    // "factory", "ota_0".., "test", "ota", "nvs", ... as gen_esp32part.py names them.
    std::string subtype_name() const;
    bool operator==(const PartitionEntry& o) const {
        return type == o.type && subtype == o.subtype && offset == o.offset && size == o.size &&
               label == o.label && flags == o.flags;
    }
};

class PartitionTable {
public:
    PartitionTable() = default;
    explicit PartitionTable(std::vector<PartitionEntry> entries) : entries_(std::move(entries)) {}

    // Parses the binary table; `error` says what was wrong (bad magic, MD5 mismatch...).
    static std::optional<PartitionTable> parse(const uint8_t* data, size_t length, std::string& error);
    static std::optional<PartitionTable> read(const Flash& flash, std::string& error);

    // The binary table as gen_esp32part.py writes it, padded with 0xFF to one sector.
    std::vector<uint8_t> serialize() const;
    // The 16-byte MD5 stored in the table's MD5 record.
    std::vector<uint8_t> md5() const;

    const std::vector<PartitionEntry>& entries() const { return entries_; }
    const PartitionEntry* find(PartitionType type, uint8_t subtype) const;
    const PartitionEntry* find_label(const std::string& label) const;
    const PartitionEntry* find_containing(uint32_t address) const;
    const PartitionEntry* factory_app() const { return find(PartitionType::App, app_subtype::kFactory); }
    const PartitionEntry* otadata() const { return find(PartitionType::Data, data_subtype::kOta); }
    // ota_0..ota_15 in index order, as the bootloader counts them (bs->app_count).
    std::vector<const PartitionEntry*> ota_slots() const;
    // Factory first (if any), then the OTA slots: every partition an app can boot from.
    std::vector<const PartitionEntry*> app_slots() const;

    // Overlaps, alignment, label length, fits in 4 MB: what gen_esp32part.py would reject.
    bool validate(uint32_t flash_size, std::string& error) const;

private:
    std::vector<PartitionEntry> entries_;
};

}  // namespace secure_ota
