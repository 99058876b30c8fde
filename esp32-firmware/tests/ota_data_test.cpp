// otadata entries against ESP-IDF's golden CRCs and validity rules.
#include <gtest/gtest.h>

#include "secure_ota/byte_order.h"
#include "secure_ota/crc32.h"
#include "secure_ota/ota_data.h"

using namespace secure_ota;

TEST(Crc32, IsZlibCrc32) {
    const char* check = "123456789";
    EXPECT_EQ(crc32(check, 9), 0xCBF43926u);  // the standard CRC-32 check value
    EXPECT_EQ(crc32(check + 4, 5, crc32(check, 4)), 0xCBF43926u) << "chaining like zlib.crc32(data, prev)";
}

TEST(OtaDataEntry, CrcGoldenVectors) {
    EXPECT_EQ(OtaDataEntry::crc_of_seq(1), 0x4743989Au);
    EXPECT_EQ(OtaDataEntry::crc_of_seq(2), 0x55F63774u);
    EXPECT_EQ(OtaDataEntry::crc_of_seq(3), 0xED4A5011u);
}

TEST(OtaDataEntry, SerializesAsEspOtaSelectEntry) {
    auto b = OtaDataEntry::make(2, OtaImgState::PendingVerify).serialize();
    EXPECT_EQ(load_le32(b.data()), 2u);
    for (int i = 4; i < 24; ++i) EXPECT_EQ(b[i], 0xFF) << "seq_label left 0xFF";
    EXPECT_EQ(load_le32(b.data() + 24), 1u);
    EXPECT_EQ(load_le32(b.data() + 28), 0x55F63774u);
    auto back = OtaDataEntry::parse(b.data());
    EXPECT_EQ(back.ota_seq, 2u);
    EXPECT_EQ(back.ota_state, OtaImgState::PendingVerify);
}

TEST(OtaDataEntry, ValidityRules) {
    EXPECT_FALSE(OtaDataEntry().is_valid()) << "blank";
    EXPECT_TRUE(OtaDataEntry().is_blank());
    EXPECT_TRUE(OtaDataEntry::make(1, OtaImgState::New).is_valid());
    EXPECT_TRUE(OtaDataEntry::make(1, OtaImgState::PendingVerify).is_valid());
    EXPECT_TRUE(OtaDataEntry::make(1, OtaImgState::Valid).is_valid());
    EXPECT_TRUE(OtaDataEntry::make(1, OtaImgState::Undefined).is_valid());
    EXPECT_FALSE(OtaDataEntry::make(1, OtaImgState::Invalid).is_valid());
    EXPECT_FALSE(OtaDataEntry::make(1, OtaImgState::Aborted).is_valid());
    auto bad = OtaDataEntry::make(1, OtaImgState::Valid);
    bad.crc ^= 1;
    EXPECT_FALSE(bad.is_valid());
}

TEST(OtaDataEntry, ActiveIsValidWithLargerSeq) {
    OtaDataPair p{OtaDataEntry::make(3, OtaImgState::Valid), OtaDataEntry::make(4, OtaImgState::Valid)};
    EXPECT_EQ(active_otadata_index(p), 1);
    p[1].ota_state = OtaImgState::Aborted;
    EXPECT_EQ(active_otadata_index(p), 0);
    p[0].crc = 0;
    EXPECT_EQ(active_otadata_index(p), -1);
    EXPECT_EQ(active_otadata_index(OtaDataPair{}), -1);
}
