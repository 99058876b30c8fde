#include "secure_ota/crc32.h"

namespace secure_ota {

uint32_t crc32(const void* data, size_t length, uint32_t previous) {
    // Bitwise on purpose: a few hundred bytes per boot, and no table to get wrong.
    uint32_t crc = ~previous;
    const auto* p = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < length; ++i) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

}  // namespace secure_ota
