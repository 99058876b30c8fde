// The factory step: a new chip (4 MB of 0xFF, blank eFuses), then what a production line
// flashes: bootloader image at 0x1000, partition table at 0x8000, the first app, and
// optionally the factory data partition. otadata stays erased, as esptool leaves it.
#pragma once

#include <optional>
#include <string>

#include "secure_ota/partition_layouts.h"

namespace vesp32 {

struct FactoryOptions {
    std::string flash_path;
    std::string app_image_path;
    secure_ota::Layout layout = secure_ota::Layout::ArduinoDefault;
    std::optional<std::string> factory_data_path;
};

// 0 on success; otherwise prints what was wrong to stderr and returns non-zero.
int write_factory_flash(const FactoryOptions& options);

}  // namespace vesp32
