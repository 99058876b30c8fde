// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320).
// ESP-IDF's otadata uses it with the initial value 0xFFFFFFFF passed as zlib's "previous
// crc" (esp_rom_crc32_le(UINT32_MAX, ...)), which is why the seed is a parameter here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace secure_ota {

// Same contract as zlib.crc32(data, previous): chains, and crc32(data) == crc32(data, 0).
uint32_t crc32(const void* data, size_t length, uint32_t previous = 0);

}  // namespace secure_ota
