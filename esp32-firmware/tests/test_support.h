// Shared fixtures of the tests: an in-memory NOR chip, images and factory flashes built
// with the same code paths the board uses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "secure_ota/app_image.h"
#include "secure_ota/factory_data.h"
#include "secure_ota/nor_flash.h"
#include "secure_ota/partition_layouts.h"

namespace test {

// A 4 MB chip in RAM, erased.
struct RamFlash {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(secure_ota::kFlashSize4MB, 0xFF);
    secure_ota::NorFlash nor{bytes.data(), static_cast<uint32_t>(bytes.size())};
};

// A host app image with a recognisable payload.
std::vector<uint8_t> make_image(const std::string& version, uint32_t secure_version, size_t payload_size = 5000,
                                uint16_t chip = secure_ota::chip_id::kHost);

secure_ota::FactoryData sample_factory_data();

// The factory step on a RAM chip: table, app in its first slot, factory data.
void factory_flash(RamFlash& flash, secure_ota::Layout layout, const std::vector<uint8_t>& image,
                   bool with_factory_data = true);

// Writes `image` into `slot` (erasing first), bypassing OTA logic: for arranging states.
void put_image(RamFlash& flash, const secure_ota::PartitionEntry& slot, const std::vector<uint8_t>& image);

std::vector<uint8_t> read_file(const std::string& path);
std::string hex(const uint8_t* data, size_t length);

}  // namespace test
