// The app image format: layout, checksum, appended SHA-256, and the packed build outputs.
#include <gtest/gtest.h>

#include "secure_ota/byte_order.h"
#include "secure_ota/crypto/sha256.h"
#include "test_support.h"

using namespace secure_ota;

TEST(AppImage, LayoutFollowsEspAppFormat) {
    auto img = test::make_image("1.2.3", 7, 1001);
    EXPECT_EQ(img[0], 0xE9);
    EXPECT_EQ(img[1], 2) << "descriptor segment + program segment";
    EXPECT_EQ(load_le16(&img[12]), 0xFFFF);
    EXPECT_EQ(img[23], 1) << "hash appended";
    EXPECT_EQ(load_le32(&img[0x20]), 0xABCD5432u);
    EXPECT_EQ(load_le32(&img[0x24]), 7u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(&img[0x30])), "1.2.3");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(&img[0x50])), "shop-display");
    // checksum byte closes a 16-byte block, then 32 bytes of SHA-256
    size_t checksum_at = img.size() - 33;
    EXPECT_EQ((checksum_at + 1) % 16, 0u);
    auto sha = crypto::Sha256::of(img.data(), checksum_at + 1);
    EXPECT_TRUE(std::equal(sha.begin(), sha.end(), img.end() - 32));
    // checksum recomputed independently: 0xEF ^ every byte of segment data
    uint8_t cs = 0xEF;
    size_t pos = 24;
    for (int s = 0; s < img[1]; ++s) {
        uint32_t len = load_le32(&img[pos + 4]);
        EXPECT_EQ(len % 4, 0u);
        for (uint32_t i = 0; i < len; ++i) cs ^= img[pos + 8 + i];
        pos += 8 + len;
    }
    EXPECT_EQ(img[checksum_at], cs);
}

TEST(AppImage, VerifierAcceptsGoodImage) {
    auto img = test::make_image("2.0.0", 1);
    auto v = AppImageVerifier(chip_id::kHost).verify(MemoryByteSource(img));
    ASSERT_TRUE(v.ok()) << v.detail;
    EXPECT_EQ(v.info.descriptor.version, "2.0.0");
    EXPECT_EQ(v.info.image_length, img.size());
}

TEST(AppImage, VerifierRefusesEveryCorruption) {
    auto img = test::make_image("2.0.0", 1);
    auto check = [&](size_t offset, ImageError expected) {
        auto bad = img;
        bad[offset] ^= 0x01;
        auto v = AppImageVerifier(chip_id::kHost).verify(MemoryByteSource(bad));
        EXPECT_EQ(v.error, expected) << "flip at " << offset << ": " << v.detail;
    };
    check(0, ImageError::BadMagic);
    check(12, ImageError::WrongChip);
    check(0x24, ImageError::ChecksumMismatch);       // secure_version, inside segment 0
    check(img.size() / 2, ImageError::ChecksumMismatch);  // program bytes
    check(img.size() - 33, ImageError::ChecksumMismatch); // the checksum byte itself
    check(img.size() - 1, ImageError::HashMismatch);      // appended hash
    check(10, ImageError::HashMismatch);                  // header byte outside segment data
}

TEST(AppImage, RealChipImageIsRefusedByHostBoard) {
    auto img = test::make_image("1.0.0", 1, 100, chip_id::kEsp32);
    auto v = AppImageVerifier(chip_id::kHost).verify(MemoryByteSource(img));
    EXPECT_EQ(v.error, ImageError::WrongChip);
}

TEST(AppImage, TruncatedImageIsRefused) {
    auto img = test::make_image("1.0.0", 1);
    img.resize(img.size() - 40);
    EXPECT_FALSE(AppImageVerifier(chip_id::kHost).verify(MemoryByteSource(img)).ok());
}

TEST(AppImage, BuiltProductImagesCarryTheirVersions) {
    const char* names[] = {"v1_base", "v2_promo", "v3_liquid", "v4_broken", "v5_panic", "v6_hang"};
    const char* versions[] = {"1.0.0", "2.0.0", "3.0.0", "4.0.0", "5.0.0", "6.0.0"};
    for (int i = 0; i < 6; ++i) {
        auto img = test::read_file(std::string(IMAGES_DIR) + "/" + names[i] + ".bin");
        auto v = AppImageVerifier(chip_id::kHost).verify(MemoryByteSource(img));
        ASSERT_TRUE(v.ok()) << names[i] << ": " << v.detail;
        EXPECT_EQ(v.info.descriptor.version, versions[i]);
        EXPECT_EQ(v.info.descriptor.project_name, "shop-display");
        EXPECT_EQ(v.info.descriptor.secure_version, 1u);
        EXPECT_LE(img.size(), 0x100000u) << "must fit the smallest (two_ota) slot";
        // the program segment is an ELF executable
        const auto& seg = v.info.segments.at(1);
        EXPECT_EQ(img[seg.data_offset], 0x7F);
        EXPECT_EQ(img[seg.data_offset + 1], 'E');
    }
}
