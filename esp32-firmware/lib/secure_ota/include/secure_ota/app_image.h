// The ESP32 app image format (esp_app_format.h, esptool's elf2image): a 24-byte header,
// up to 16 segments, a checksum byte on a 16-byte boundary, and an appended SHA-256.
// AppImageBuilder packs one, AppImageVerifier checks one the way the ESP-IDF bootloader
// and esp_image_verify() do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "secure_ota/app_descriptor.h"
#include "secure_ota/byte_source.h"
#include "secure_ota/crypto/sha256.h"

namespace secure_ota {

namespace chip_id {
constexpr uint16_t kEsp32 = 0x0000;
constexpr uint16_t kEsp32S2 = 0x0002;
constexpr uint16_t kEsp32C3 = 0x0005;
constexpr uint16_t kEsp32S3 = 0x0009;
// No real chip has this id: host images and real images can never be swapped by mistake.
constexpr uint16_t kHost = 0xFFFF;
}  // namespace chip_id

constexpr uint8_t kImageMagic = 0xE9;
constexpr size_t kImageHeaderSize = 24;
constexpr size_t kSegmentHeaderSize = 8;
constexpr size_t kMaxSegments = 16;
constexpr uint8_t kChecksumSeed = 0xEF;

// esp_image_header_t
struct ImageHeader {
    uint8_t magic = kImageMagic;
    uint8_t segment_count = 0;
    uint8_t spi_mode = 2;          // DIO
    uint8_t spi_speed_size = 0x20; // high nibble 2 = 4 MB, low nibble 0 = 40 MHz
    uint32_t entry_addr = 0;
    uint8_t wp_pin = 0xEE;         // "not used"
    uint8_t spi_pin_drv[3] = {0, 0, 0};
    uint16_t chip_id = chip_id::kEsp32;
    uint8_t min_chip_rev = 0;
    uint16_t min_chip_rev_full = 0;
    uint16_t max_chip_rev_full = 0xFFFF;
    uint8_t hash_appended = 1;

    std::vector<uint8_t> serialize() const;
    static ImageHeader parse(const uint8_t* bytes);
};

struct ImageSegment {
    uint32_t load_addr = 0;
    std::vector<uint8_t> data;  // padded by the builder to a multiple of 4
};

class AppImageBuilder {
public:
    // Segment 0 = the app descriptor (DROM), then `payload` as segment 1.
    static std::vector<uint8_t> build(const AppDescriptor& desc, const std::vector<uint8_t>& payload,
                                      uint16_t chip = chip_id::kHost);
    static std::vector<uint8_t> build(ImageHeader header, const std::vector<ImageSegment>& segments);
};

struct SegmentInfo {
    uint32_t load_addr;
    uint32_t data_offset;  // offset of the data in the image
    uint32_t data_len;
};

struct ImageInfo {
    ImageHeader header;
    AppDescriptor descriptor;
    std::vector<SegmentInfo> segments;
    uint32_t checksum_offset = 0;
    uint32_t image_length = 0;  // including checksum and appended hash
    crypto::Sha256Digest sha256{};
};

enum class ImageError {
    Ok,
    Unreadable,
    BadMagic,
    BadSegmentCount,
    WrongChip,
    SegmentOutOfBounds,
    SegmentMisaligned,
    NoAppDescriptor,
    ChecksumMismatch,
    NoAppendedHash,
    HashMismatch,
};

const char* to_string(ImageError e);

struct ImageVerification {
    ImageError error = ImageError::Ok;
    std::string detail;  // human explanation, with offsets
    ImageInfo info;
    bool ok() const { return error == ImageError::Ok; }
};

class AppImageVerifier {
public:
    explicit AppImageVerifier(uint16_t expected_chip) : expected_chip_(expected_chip) {}
    // Full check: structure, checksum, appended SHA-256, chip id.
    ImageVerification verify(const ByteSource& source) const;
    // Only the header and descriptor: enough to report a slot's version cheaply.
    ImageVerification read_descriptor(const ByteSource& source) const;

private:
    ImageVerification walk(const ByteSource& source, bool full) const;
    uint16_t expected_chip_;
};

}  // namespace secure_ota
