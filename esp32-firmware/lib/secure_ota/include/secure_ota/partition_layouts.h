// The two flash layouts a board can be built with, and the factory data partition added to
// both. The standard tables are kept exactly as ESP-IDF and Arduino-ESP32 ship them (their
// MD5s are golden vectors in the tests); the product layouts append one entry.
#pragma once

#include <optional>
#include <string>

#include "secure_ota/partition_table.h"

namespace secure_ota {

constexpr uint32_t kFlashSize4MB = 0x400000;

// The factory data partition: a custom data type (ESP-IDF reserves 0x40-0xFE for
// applications), at the same offset in both layouts so that one esptool command fits every
// board. See docs/factory-data.md.
constexpr uint8_t kFactoryDataPartitionType = 0x40;
constexpr uint8_t kFactoryDataPartitionSubtype = 0x00;
constexpr uint32_t kFactoryDataOffset = 0x3EE000;
constexpr uint32_t kFactoryDataSize = 0x2000;
constexpr const char* kFactoryDataLabel = "factory_data";

enum class Layout { ArduinoDefault, TwoOta };

const char* to_string(Layout layout);
std::optional<Layout> parse_layout(const std::string& name);  // "default" | "two_ota"

// Arduino-ESP32 tools/partitions/default.csv, unchanged.
PartitionTable arduino_default_table();
// ESP-IDF components/partition_table/partitions_two_ota.csv, unchanged.
PartitionTable esp_idf_two_ota_table();
// What the product flashes: the standard table plus factory_data. In the Arduino layout
// spiffs gives up its last 8 KiB for it (4 MB are fully allocated otherwise).
PartitionTable product_table(Layout layout);

const PartitionEntry* find_factory_data(const PartitionTable& table);

}  // namespace secure_ota
