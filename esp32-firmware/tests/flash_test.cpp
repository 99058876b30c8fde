// NOR semantics and power-cut injection.
#include <gtest/gtest.h>

#include "secure_ota/power_cut_flash.h"
#include "test_support.h"

using namespace secure_ota;

TEST(NorFlash, StartsErasedAndWritesClearBits) {
    test::RamFlash f;
    uint8_t b[4];
    ASSERT_EQ(f.nor.read(0x1234, b, 4), FlashStatus::Ok);
    EXPECT_EQ(b[0], 0xFF);
    const uint8_t data[2] = {0xA5, 0x0F};
    ASSERT_EQ(f.nor.write(0x2000, data, 2), FlashStatus::Ok);
    EXPECT_EQ(f.bytes[0x2000], 0xA5);
    EXPECT_EQ(f.bytes[0x2001], 0x0F);
}

TEST(NorFlash, WriteToNonErasedBytesIsRefusedAndReported) {
    test::RamFlash f;
    const uint8_t first = 0xF0, second = 0x0F;
    ASSERT_EQ(f.nor.write(0x3005, &first, 1), FlashStatus::Ok);
    EXPECT_EQ(f.nor.write(0x3004, &second, 2), FlashStatus::NotErased);
    EXPECT_EQ(f.bytes[0x3004], 0xFF) << "a refused write must change nothing";
    EXPECT_EQ(f.bytes[0x3005], 0xF0);
    EXPECT_NE(f.nor.last_error().find("0x003005"), std::string::npos) << f.nor.last_error();
}

TEST(NorFlash, EraseMustBeSectorAligned) {
    test::RamFlash f;
    EXPECT_EQ(f.nor.erase(0x1800, 0x1000), FlashStatus::Misaligned);
    EXPECT_EQ(f.nor.erase(0x1000, 0x800), FlashStatus::Misaligned);
    EXPECT_NE(f.nor.last_error().find("aligned"), std::string::npos);
    const uint8_t zero = 0;
    f.nor.write(0x1FFF, &zero, 1);
    f.nor.write(0x2000, &zero, 1);
    ASSERT_EQ(f.nor.erase(0x1000, 0x1000), FlashStatus::Ok);
    EXPECT_EQ(f.bytes[0x1FFF], 0xFF);
    EXPECT_EQ(f.bytes[0x2000], 0x00) << "erase must stop at the sector boundary";
}

TEST(NorFlash, ViolationsAreReportedAsTheyHappen) {
    test::RamFlash f;
    std::vector<std::string> reports;
    f.nor.set_violation_reporter([&](const std::string& r) { reports.push_back(r); });
    const uint8_t zero = 0;
    f.nor.write(0x100, &zero, 1);
    f.nor.write(0x100, &zero, 1);  // same value again: still a write to a programmed byte
    f.nor.erase(0x80, 0x1000);
    f.nor.erase(0x1000, 0x1000);   // fine: not reported
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_NE(reports[0].find("not erased"), std::string::npos) << reports[0];
    EXPECT_NE(reports[1].find("not aligned"), std::string::npos) << reports[1];
}

TEST(NorFlash, OutOfRangeIsRefused) {
    test::RamFlash f;
    uint8_t b[2] = {0, 0};
    EXPECT_EQ(f.nor.write(0x3FFFFF, b, 2), FlashStatus::OutOfRange);
    EXPECT_EQ(f.nor.read(0x400000, b, 1), FlashStatus::OutOfRange);
    EXPECT_EQ(f.nor.erase(0x400000, 0x1000), FlashStatus::OutOfRange);
}

TEST(PowerCutFlash, CountsEverySectorEraseAndWrite) {
    test::RamFlash f;
    FlashOpCounter c;
    PowerCutFlash flash(f.nor, c);
    const uint8_t d[8] = {};
    flash.erase(0x10000, 0x3000);  // three sectors = three operations
    flash.write(0x10000, d, 8);
    uint8_t r[8];
    flash.read(0x10000, r, 8);  // reads are free
    EXPECT_EQ(c.completed, 4u);
}

TEST(PowerCutFlash, CutBeforeOperationLeavesFlashUntouched) {
    test::RamFlash f;
    FlashOpCounter c;
    int cuts = 0;
    PowerCutFlash flash(f.nor, c, [&] { ++cuts; });
    PowerCutFlash::arm(c, 1, CutPoint::Before);
    const uint8_t d[4] = {1, 2, 3, 4};
    ASSERT_EQ(flash.write(0x5000, d, 4), FlashStatus::Ok);
    EXPECT_EQ(flash.write(0x6000, d, 4), FlashStatus::PowerLost);
    EXPECT_EQ(f.bytes[0x6000], 0xFF);
    EXPECT_EQ(cuts, 1);
    EXPECT_EQ(c.tripped_at, 2u);
    // Dead chip: nothing more reaches flash, not even reads.
    EXPECT_EQ(flash.erase(0x5000, 0x1000), FlashStatus::PowerLost);
    EXPECT_EQ(f.bytes[0x5000], 1);
    uint8_t r;
    EXPECT_EQ(flash.read(0x5000, &r, 1), FlashStatus::PowerLost);
    EXPECT_EQ(cuts, 1);
}

TEST(PowerCutFlash, CutHalfwayThroughWriteKeepsFirstHalf) {
    test::RamFlash f;
    FlashOpCounter c;
    PowerCutFlash flash(f.nor, c);
    PowerCutFlash::arm(c, 0, CutPoint::Halfway);
    const uint8_t d[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    EXPECT_EQ(flash.write(0x7000, d, 8), FlashStatus::PowerLost);
    EXPECT_EQ(f.bytes[0x7003], 3);
    EXPECT_EQ(f.bytes[0x7004], 0xFF);
}

TEST(PowerCutFlash, CutHalfwayThroughEraseLeavesSectorNeitherOldNorBlank) {
    test::RamFlash f;
    std::fill(f.bytes.begin() + 0x8000, f.bytes.begin() + 0xA000, 0x00);
    FlashOpCounter c;
    PowerCutFlash flash(f.nor, c);
    PowerCutFlash::arm(c, 1, CutPoint::Halfway);
    EXPECT_EQ(flash.erase(0x8000, 0x2000), FlashStatus::PowerLost);
    EXPECT_EQ(f.bytes[0x8000], 0xFF) << "first sector fully erased (operation 1)";
    EXPECT_EQ(f.bytes[0x9000], 0xFF) << "second sector: first half erased";
    EXPECT_EQ(f.bytes[0x9800], 0x00) << "second sector: second half untouched";
}

TEST(PowerCutFlash, DisarmedNeverCuts) {
    test::RamFlash f;
    FlashOpCounter c;
    PowerCutFlash flash(f.nor, c);
    for (int i = 0; i < 100; ++i) ASSERT_EQ(flash.erase(0x10000, 0x1000), FlashStatus::Ok);
    EXPECT_EQ(c.completed, 100u);
    EXPECT_EQ(c.tripped, 0u);
}
