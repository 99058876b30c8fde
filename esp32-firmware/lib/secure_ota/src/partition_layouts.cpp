#include "secure_ota/partition_layouts.h"

namespace secure_ota {
namespace {

PartitionEntry entry(const char* label, PartitionType type, uint8_t subtype, uint32_t offset, uint32_t size) {
    PartitionEntry e;
    e.label = label;
    e.type = static_cast<uint8_t>(type);
    e.subtype = subtype;
    e.offset = offset;
    e.size = size;
    return e;
}

PartitionEntry factory_data_entry() {
    PartitionEntry e;
    e.label = kFactoryDataLabel;
    e.type = kFactoryDataPartitionType;
    e.subtype = kFactoryDataPartitionSubtype;
    e.offset = kFactoryDataOffset;
    e.size = kFactoryDataSize;
    return e;
}

}  // namespace

const char* to_string(Layout layout) { return layout == Layout::TwoOta ? "two_ota" : "default"; }

std::optional<Layout> parse_layout(const std::string& name) {
    if (name == "default") return Layout::ArduinoDefault;
    if (name == "two_ota") return Layout::TwoOta;
    return std::nullopt;
}

PartitionTable arduino_default_table() {
    using PT = PartitionType;
    return PartitionTable({
        entry("nvs", PT::Data, data_subtype::kNvs, 0x9000, 0x5000),
        entry("otadata", PT::Data, data_subtype::kOta, 0xE000, 0x2000),
        entry("app0", PT::App, app_subtype::kOtaMin + 0, 0x10000, 0x140000),
        entry("app1", PT::App, app_subtype::kOtaMin + 1, 0x150000, 0x140000),
        entry("spiffs", PT::Data, data_subtype::kSpiffs, 0x290000, 0x160000),
        entry("coredump", PT::Data, data_subtype::kCoredump, 0x3F0000, 0x10000),
    });
}

PartitionTable esp_idf_two_ota_table() {
    using PT = PartitionType;
    return PartitionTable({
        entry("nvs", PT::Data, data_subtype::kNvs, 0x9000, 0x4000),
        entry("otadata", PT::Data, data_subtype::kOta, 0xD000, 0x2000),
        entry("phy_init", PT::Data, data_subtype::kPhy, 0xF000, 0x1000),
        entry("factory", PT::App, app_subtype::kFactory, 0x10000, 0x100000),
        entry("ota_0", PT::App, app_subtype::kOtaMin + 0, 0x110000, 0x100000),
        entry("ota_1", PT::App, app_subtype::kOtaMin + 1, 0x210000, 0x100000),
    });
}

PartitionTable product_table(Layout layout) {
    std::vector<PartitionEntry> entries;
    if (layout == Layout::TwoOta) {
        entries = esp_idf_two_ota_table().entries();  // 0x310000..0x400000 is free
    } else {
        entries = arduino_default_table().entries();
        for (auto& e : entries)
            if (e.label == "spiffs") e.size = kFactoryDataOffset - e.offset;  // 0x15E000
    }
    entries.push_back(factory_data_entry());
    return PartitionTable(std::move(entries));
}

const PartitionEntry* find_factory_data(const PartitionTable& table) {
    for (const auto& e : table.entries())
        if (e.type == kFactoryDataPartitionType && e.subtype == kFactoryDataPartitionSubtype) return &e;
    return nullptr;
}

}  // namespace secure_ota
