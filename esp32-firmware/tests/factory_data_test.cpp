// The factory data partition format (docs/factory-data.md).
#include <gtest/gtest.h>

#include "secure_ota/byte_order.h"
#include "secure_ota/crc32.h"
#include "secure_ota/factory_data.h"
#include "test_support.h"

using namespace secure_ota;

TEST(FactoryData, ByteLayoutMatchesTheDocument) {
    auto fd = test::sample_factory_data();
    auto b = fd.serialize();
    ASSERT_GE(b.size(), 16u);
    EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "SOFD");
    EXPECT_EQ(load_le16(&b[4]), 1u);
    EXPECT_EQ(load_le16(&b[6]), 6u);
    EXPECT_EQ(load_le32(&b[8]), b.size() - 16);
    // CRC-32 (zlib) over header bytes 0..11, then the records
    std::vector<uint8_t> covered(b.begin(), b.begin() + 12);
    covered.insert(covered.end(), b.begin() + 16, b.end());
    EXPECT_EQ(load_le32(&b[12]), crc32(covered.data(), covered.size()));
    // first record: tag 1 (device_id), length, value without terminator
    EXPECT_EQ(load_le16(&b[16]), 1u);
    EXPECT_EQ(load_le16(&b[18]), fd.device_id.size());
    EXPECT_EQ(std::string(b.begin() + 20, b.begin() + 20 + fd.device_id.size()), "esp32-lab-01");
}

TEST(FactoryData, RoundTripsThroughTheErasedPartition) {
    auto fd = test::sample_factory_data();
    std::vector<uint8_t> part(0x2000, 0xFF);
    auto b = fd.serialize();
    std::copy(b.begin(), b.end(), part.begin());
    std::string err;
    auto back = FactoryData::parse(part.data(), part.size(), err);
    ASSERT_TRUE(back) << err;
    EXPECT_EQ(back->server_url, fd.server_url);
    EXPECT_EQ(back->ca_cert_pem, fd.ca_cert_pem);
    EXPECT_EQ(back->signing_pubkey_pem, fd.signing_pubkey_pem);
}

TEST(FactoryData, LcdLangIsOptionalAndRoundTrips) {
    auto fd = test::sample_factory_data();
    EXPECT_EQ(lcd_language(&fd), LcdLanguage::Fr) << "absent: French";
    EXPECT_EQ(lcd_language(nullptr), LcdLanguage::Fr) << "no factory data: French";
    fd.lcd_lang = "en";
    auto b = fd.serialize();
    EXPECT_EQ(load_le16(&b[6]), 7u) << "one more record, tag 8";
    std::string err;
    auto back = FactoryData::parse(b.data(), b.size(), err);
    ASSERT_TRUE(back) << err;
    EXPECT_EQ(back->lcd_lang, "en");
    EXPECT_EQ(lcd_language(&*back), LcdLanguage::En);
}

TEST(FactoryData, AnUnknownLcdLangIsRefusedByName) {
    auto fd = test::sample_factory_data();
    fd.lcd_lang = "de";
    std::string err;
    EXPECT_FALSE(fd.validate(err));
    EXPECT_NE(err.find("lcd_lang"), std::string::npos) << err;
    EXPECT_NE(err.find("'fr' or 'en'"), std::string::npos) << err;
}

TEST(FactoryData, BlankPartitionMeansUnprovisioned) {
    std::vector<uint8_t> part(0x2000, 0xFF);
    std::string err;
    EXPECT_FALSE(FactoryData::parse(part.data(), part.size(), err));
    EXPECT_NE(err.find("never provisioned"), std::string::npos) << err;
}

TEST(FactoryData, CorruptionIsDetected) {
    auto b = test::sample_factory_data().serialize();
    for (size_t at : {size_t(9), size_t(30), b.size() - 1}) {
        auto bad = b;
        bad[at] ^= 0x20;
        std::string err;
        EXPECT_FALSE(FactoryData::parse(bad.data(), bad.size(), err)) << "flip at " << at;
    }
    auto v2 = b;
    v2[4] = 2;
    std::string err;
    EXPECT_FALSE(FactoryData::parse(v2.data(), v2.size(), err));
    EXPECT_NE(err.find("version 2"), std::string::npos) << err;
}

TEST(FactoryData, MissingOrMalformedAnchorsAreRefused) {
    auto fd = test::sample_factory_data();
    std::string err;
    fd.api_key.clear();
    EXPECT_FALSE(fd.validate(err));
    EXPECT_NE(err.find("api_key"), std::string::npos);
    fd = test::sample_factory_data();
    fd.signing_pubkey_pem = "not a key";
    EXPECT_FALSE(fd.validate(err));
    fd = test::sample_factory_data();
    fd.product = std::string(40, 'x');
    EXPECT_FALSE(fd.validate(err));
}

TEST(FactoryData, UnknownTagsAreSkipped) {
    auto b = test::sample_factory_data().serialize();
    // append a record with tag 0x7F00, adjust count, length and CRC like a newer tool would
    const uint8_t extra[] = {0x00, 0x7F, 0x02, 0x00, 'h', 'i'};
    b.insert(b.end(), extra, extra + sizeof extra);
    store_le16(&b[6], 7);
    store_le32(&b[8], static_cast<uint32_t>(b.size() - 16));
    uint32_t crc = crc32(b.data(), 12);
    store_le32(&b[12], crc32(b.data() + 16, b.size() - 16, crc));
    std::string err;
    EXPECT_TRUE(FactoryData::parse(b.data(), b.size(), err)) << err;
}
