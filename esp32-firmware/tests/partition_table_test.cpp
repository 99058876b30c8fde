// Partition tables against ESP-IDF's golden vectors (MD5s produced by gen_esp32part.py).
#include <gtest/gtest.h>

#include "secure_ota/byte_order.h"
#include "secure_ota/partition_layouts.h"
#include "test_support.h"

using namespace secure_ota;

TEST(PartitionTable, EspIdfTwoOtaMatchesGoldenMd5) {
    auto md5 = esp_idf_two_ota_table().md5();
    EXPECT_EQ(test::hex(md5.data(), md5.size()), "bf25822c0fa6d8641bd930251e06b4c4");
}

TEST(PartitionTable, ArduinoDefaultMatchesGoldenMd5) {
    auto md5 = arduino_default_table().md5();
    EXPECT_EQ(test::hex(md5.data(), md5.size()), "972dae2ff872a0142d60bad124c0666b");
}

TEST(PartitionTable, BinaryLayoutIsGenEsp32partFormat) {
    auto bin = esp_idf_two_ota_table().serialize();
    ASSERT_EQ(bin.size(), 0x1000u);
    // entry 3 = factory app at 0x10000, 1 MB
    const uint8_t* e = bin.data() + 3 * 32;
    EXPECT_EQ(e[0], 0xAA);
    EXPECT_EQ(e[1], 0x50);
    EXPECT_EQ(e[2], 0x00);
    EXPECT_EQ(e[3], 0x00);
    EXPECT_EQ(load_le32(e + 4), 0x10000u);
    EXPECT_EQ(load_le32(e + 8), 0x100000u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(e + 12)), "factory");
    // MD5 record right after the 6 entries: EB EB, 14 x FF, digest; then 0xFF
    const uint8_t* m = bin.data() + 6 * 32;
    EXPECT_EQ(m[0], 0xEB);
    EXPECT_EQ(m[1], 0xEB);
    for (int i = 2; i < 16; ++i) EXPECT_EQ(m[i], 0xFF);
    for (size_t i = 7 * 32; i < bin.size(); ++i) ASSERT_EQ(bin[i], 0xFF) << i;
}

TEST(PartitionTable, ParseRoundTripsAndChecksMd5) {
    for (Layout l : {Layout::ArduinoDefault, Layout::TwoOta}) {
        auto table = product_table(l);
        auto bin = table.serialize();
        std::string err;
        auto parsed = PartitionTable::parse(bin.data(), bin.size(), err);
        ASSERT_TRUE(parsed) << err;
        EXPECT_EQ(parsed->entries(), table.entries());
        bin[40] ^= 0x01;  // a bit flip in entry 1's offset
        EXPECT_FALSE(PartitionTable::parse(bin.data(), bin.size(), err));
        EXPECT_NE(err.find("MD5"), std::string::npos) << err;
    }
}

TEST(PartitionTable, ErasedSectorIsNoTable) {
    std::vector<uint8_t> blank(0x1000, 0xFF);
    std::string err;
    EXPECT_FALSE(PartitionTable::parse(blank.data(), blank.size(), err));
    EXPECT_NE(err.find("erased"), std::string::npos) << err;
}

TEST(PartitionLayouts, ProductTablesKeepStandardEntriesAndAddFactoryData) {
    auto std2 = esp_idf_two_ota_table().entries();
    auto prod2 = product_table(Layout::TwoOta).entries();
    ASSERT_EQ(prod2.size(), std2.size() + 1);
    for (size_t i = 0; i < std2.size(); ++i) EXPECT_EQ(prod2[i], std2[i]);

    auto stdd = arduino_default_table().entries();
    auto prodd = product_table(Layout::ArduinoDefault).entries();
    ASSERT_EQ(prodd.size(), stdd.size() + 1);
    for (size_t i = 0; i < stdd.size(); ++i) {
        if (stdd[i].label == "spiffs") {
            EXPECT_EQ(prodd[i].size, stdd[i].size - kFactoryDataSize) << "spiffs gives 8 KiB to factory_data";
        } else {
            EXPECT_EQ(prodd[i], stdd[i]);
        }
    }
    for (Layout l : {Layout::ArduinoDefault, Layout::TwoOta}) {
        auto t = product_table(l);
        const auto* fd = find_factory_data(t);
        ASSERT_NE(fd, nullptr);
        EXPECT_EQ(fd->offset, 0x3EE000u);
        EXPECT_EQ(fd->size, 0x2000u);
        EXPECT_EQ(fd->type, 0x40);
        std::string err;
        EXPECT_TRUE(t.validate(kFlashSize4MB, err)) << err;
    }
}

TEST(PartitionTable, ValidateCatchesOverlapAndMisalignment) {
    auto entries = arduino_default_table().entries();
    entries[3].offset = 0x140000;  // app1 now overlaps app0 (ends at 0x150000)
    std::string err;
    EXPECT_FALSE(PartitionTable(entries).validate(kFlashSize4MB, err));
    EXPECT_NE(err.find("overlap"), std::string::npos) << err;
    entries = arduino_default_table().entries();
    entries[2].offset = 0x11000;  // app partitions need 64 KiB alignment
    EXPECT_FALSE(PartitionTable(entries).validate(kFlashSize4MB, err));
}

TEST(PartitionTable, SlotsInBootloaderOrder) {
    auto t = esp_idf_two_ota_table();
    auto slots = t.app_slots();
    ASSERT_EQ(slots.size(), 3u);
    EXPECT_EQ(slots[0]->label, "factory");
    EXPECT_EQ(slots[1]->ota_index(), 0);
    EXPECT_EQ(slots[2]->ota_index(), 1);
    EXPECT_EQ(t.find_containing(0x210000 + 5)->label, "ota_1");
}
