// `virtual-esp32 inspect`: what is in a flash file, read with the same portable code the
// board uses (partition table, otadata, each slot's image, factory data).
#pragma once

#include <string>

namespace vesp32 {

int inspect_flash(const std::string& flash_path);

}  // namespace vesp32
