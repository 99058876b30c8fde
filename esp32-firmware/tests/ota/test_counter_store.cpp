#include <gtest/gtest.h>

#include "secure_ota/nor_flash.h"
#include "secure_ota/ota/flash_counter_store.h"
#include "secure_ota/power_cut_flash.h"

using namespace secure_ota;
using namespace secure_ota::ota;

TEST(FlashCounterStore, StoresAndOnlyGrows) {
    std::vector<uint8_t> mem(4 * kFlashSectorSize, 0xFF);
    NorFlash nor(mem.data(), uint32_t(mem.size()));
    FlashCounterStore s(nor, kFlashSectorSize);
    EXPECT_FALSE(s.load().has_value());
    ASSERT_TRUE(s.store({3, "2.0.0"}));
    EXPECT_EQ(s.load()->counter, 3u);
    EXPECT_EQ(s.load()->version, "2.0.0");
    ASSERT_TRUE(s.store({4, "3.0.0"}));
    ASSERT_TRUE(s.store({1ull << 40, "4.0.0"}));
    EXPECT_EQ(s.load()->counter, 1ull << 40);
    EXPECT_FALSE(s.store({5, "5.0.0"})) << "never goes back";
    EXPECT_EQ(s.load()->version, "4.0.0");
    EXPECT_FALSE(s.store(CounterRecord{1ull << 41, std::string(32, 'x')})) << "version too long";
    // A fresh object reads what is in flash (reboot).
    FlashCounterStore again(nor, kFlashSectorSize);
    EXPECT_EQ(again.load()->counter, 1ull << 40);
    // Corruption of the newest record (third store: first sector again) falls back to the older one.
    mem[kFlashSectorSize + 20] ^= 0xFF;
    ASSERT_TRUE(again.load().has_value());
    EXPECT_EQ(again.load()->counter, 4u);
}

TEST(FlashCounterStore, PowerCutLeavesOldOrNew) {
    for (uint32_t i = 0; i < 2; ++i) {
        for (CutPoint p : {CutPoint::Before, CutPoint::Halfway}) {
            std::vector<uint8_t> mem(2 * kFlashSectorSize, 0xFF);
            NorFlash nor(mem.data(), uint32_t(mem.size()));
            FlashCounterStore plain(nor, 0);
            ASSERT_TRUE(plain.store({7, "1.0.0"}));
            ASSERT_TRUE(plain.store({8, "2.0.0"}));
            FlashOpCounter c;
            PowerCutFlash cut(nor, c);
            FlashCounterStore s(cut, 0);
            PowerCutFlash::arm(c, i, p);  // cut the erase (i=0) or the write (i=1)
            EXPECT_FALSE(s.store({9, "3.0.0"}));
            auto r = FlashCounterStore(nor, 0).load();
            ASSERT_TRUE(r.has_value());
            EXPECT_TRUE(r->counter == 8 || r->counter == 9) << r->counter;
        }
    }
}

#include <unistd.h>

#include "host_ota.h"

TEST(FileCounterStore, PersistsAndOnlyGrows) {
    char tmpl[] = "/tmp/ota-counter-XXXXXX";
    int fd = ::mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ::unlink(tmpl);
    secure_ota::host::FileCounterStore s(tmpl);
    EXPECT_FALSE(s.load().has_value());
    ASSERT_TRUE(s.store({3, "2.0.0"}));
    EXPECT_FALSE(s.store({2, "1.0.0"}));
    EXPECT_FALSE(s.store({9, "bad version"}));
    secure_ota::host::FileCounterStore again(tmpl);
    ASSERT_TRUE(again.load().has_value());
    EXPECT_EQ(again.load()->counter, 3u);
    EXPECT_EQ(again.load()->version, "2.0.0");
    ::unlink(tmpl);
}

TEST(FileRollbackStore, KeepsVersionHashFlagsAndReason) {
    char tmpl[] = "/tmp/ota-rollback-XXXXXX";
    int fd = ::mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    ::close(fd);
    ::unlink(tmpl);
    secure_ota::host::FileRollbackStore s(tmpl);
    EXPECT_FALSE(s.load().has_value());
    secure_ota::ota::RolledBackImage r;
    r.version = "4.0.0";
    for (size_t i = 0; i < r.sha256.size(); ++i) r.sha256[i] = uint8_t(i * 7 + 1);
    r.marked_invalid = true;
    r.reason = "'app1' failed its self-test\nand marked itself invalid";
    ASSERT_TRUE(s.store(r));
    auto back = secure_ota::host::FileRollbackStore(tmpl).load();
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->version, "4.0.0");
    EXPECT_EQ(back->sha256, r.sha256);
    EXPECT_TRUE(back->marked_invalid);
    EXPECT_FALSE(back->reported);
    EXPECT_EQ(back->reason, "'app1' failed its self-test and marked itself invalid") << "one line on disk";
    r.reported = true;
    r.marked_invalid = false;
    ASSERT_TRUE(s.store(r));
    EXPECT_TRUE(s.load()->reported);
    EXPECT_FALSE(s.load()->marked_invalid);
    r.version = "bad version";
    EXPECT_FALSE(s.store(r));
    ::unlink(tmpl);
}
