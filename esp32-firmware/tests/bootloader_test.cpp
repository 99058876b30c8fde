// Every bootloader rule: each otadata state combination, corrupt images, empty otadata,
// anti-rollback, and the otadata bytes ESP-IDF's bootloader would leave behind.
#include <gtest/gtest.h>

#include <optional>

#include "secure_ota/bootloader.h"
#include "test_support.h"

using namespace secure_ota;

namespace {

using S = OtaImgState;
constexpr uint32_t kBlank = OtaDataEntry::kBlankSeq;

struct Entry {
    uint32_t seq;
    S state;
};

struct Case {
    const char* name;
    Layout layout;
    Entry before[2];
    const char* expect_label;  // slot that boots
    Entry after[2];            // otadata afterwards
};

// Readable test names in ctest output instead of a byte dump.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class BootBench {
public:
    explicit BootBench(Layout layout) : layout_(layout), table_(product_table(layout)) {
        test::factory_flash(flash_, layout, test::make_image("1.0.0", 1));
        auto ota = table_.ota_slots();
        if (layout == Layout::TwoOta) test::put_image(flash_, *ota[0], test::make_image("2.0.0", 1));
        test::put_image(flash_, *ota[layout == Layout::TwoOta ? 1 : 1], test::make_image("3.0.0", 1));
    }
    void set_otadata(const Entry e[2]) {
        OtaData od(flash_.nor, *table_.otadata());
        for (int i = 0; i < 2; ++i) {
            if (e[i].seq == kBlank) od.erase_entry(i);
            else od.write_entry(i, OtaDataEntry::make(e[i].seq, e[i].state));
        }
    }
    OtaDataPair otadata() {
        OtaDataPair p;
        OtaData(flash_.nor, *table_.otadata()).read(p);
        return p;
    }
    std::optional<BootDecision> boot(uint32_t min_secure_version = 0) {
        RamSecureVersionStore fuses(min_secure_version);
        Bootloader b(flash_.nor, fuses, chip_id::kHost, [this](const std::string& l) { log += l + "\n"; });
        auto d = b.select_and_verify();
        error = b.error();
        return d;
    }
    void corrupt(const std::string& label, uint32_t offset) { flash_.bytes[table_.find_label(label)->offset + offset] ^= 0x40; }

    test::RamFlash flash_;
    Layout layout_;
    PartitionTable table_;
    std::string log, error;
};

void expect_otadata(const OtaDataPair& p, const Entry want[2]) {
    for (int i = 0; i < 2; ++i) {
        if (want[i].seq == kBlank) {
            EXPECT_TRUE(p[i].is_blank()) << "otadata[" << i << "] should be blank";
        } else {
            EXPECT_EQ(p[i].ota_seq, want[i].seq) << "otadata[" << i << "]";
            EXPECT_EQ(p[i].ota_state, want[i].state) << "otadata[" << i << "] is " << to_string(p[i].ota_state);
            EXPECT_TRUE(p[i].crc_ok()) << "otadata[" << i << "]";
        }
    }
}

const Case kCases[] = {
    {"blank_no_factory_boots_ota0_and_writes_seq1", Layout::ArduinoDefault, {{kBlank, S::Undefined}, {kBlank, S::Undefined}},
     "app0", {{1, S::Valid}, {kBlank, S::Undefined}}},
    {"blank_with_factory_boots_factory", Layout::TwoOta, {{kBlank, S::Undefined}, {kBlank, S::Undefined}},
     "factory", {{kBlank, S::Undefined}, {kBlank, S::Undefined}}},
    {"new_becomes_pending_verify", Layout::ArduinoDefault, {{1, S::Valid}, {2, S::New}},
     "app1", {{1, S::Valid}, {2, S::PendingVerify}}},
    {"pending_verify_becomes_aborted_and_rolls_back", Layout::ArduinoDefault, {{1, S::Valid}, {2, S::PendingVerify}},
     "app0", {{1, S::Valid}, {2, S::Aborted}}},
    {"valid_higher_seq_wins", Layout::ArduinoDefault, {{1, S::Valid}, {2, S::Valid}},
     "app1", {{1, S::Valid}, {2, S::Valid}}},
    {"invalid_is_ignored", Layout::ArduinoDefault, {{1, S::Valid}, {2, S::Invalid}},
     "app0", {{1, S::Valid}, {2, S::Invalid}}},
    {"aborted_is_ignored", Layout::ArduinoDefault, {{1, S::Valid}, {2, S::Aborted}},
     "app0", {{1, S::Valid}, {2, S::Aborted}}},
    {"seq_maps_modulo_slot_count", Layout::ArduinoDefault, {{3, S::Valid}, {2, S::Valid}},
     "app0", {{3, S::Valid}, {2, S::Valid}}},
    {"undefined_state_is_valid", Layout::ArduinoDefault, {{kBlank, S::Undefined}, {2, S::Undefined}},
     "app1", {{kBlank, S::Undefined}, {2, S::Undefined}}},
    {"both_pending_both_aborted_then_ota0", Layout::ArduinoDefault, {{1, S::PendingVerify}, {2, S::PendingVerify}},
     "app0", {{1, S::Aborted}, {2, S::Aborted}}},
    {"two_ota_pending_rolls_back_to_factory", Layout::TwoOta, {{1, S::PendingVerify}, {kBlank, S::Undefined}},
     "factory", {{1, S::Aborted}, {kBlank, S::Undefined}}},
    {"two_ota_new_ota1", Layout::TwoOta, {{1, S::Valid}, {2, S::New}},
     "ota_1", {{1, S::Valid}, {2, S::PendingVerify}}},
};

}  // namespace

class BootRules : public ::testing::TestWithParam<Case> {};

TEST_P(BootRules, SelectsSlotAndRewritesOtadataLikeEspIdf) {
    const Case& c = GetParam();
    BootBench bench(c.layout);
    bench.set_otadata(c.before);
    auto d = bench.boot();
    ASSERT_TRUE(d) << bench.error << "\n" << bench.log;
    EXPECT_EQ(d->partition.label, c.expect_label) << bench.log;
    expect_otadata(bench.otadata(), c.after);
}

INSTANTIATE_TEST_SUITE_P(AllStates, BootRules, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Bootloader, BadCrcEntryIsIgnored) {
    BootBench b(Layout::ArduinoDefault);
    Entry e[2] = {{1, S::Valid}, {2, S::Valid}};
    b.set_otadata(e);
    b.flash_.bytes[b.table_.otadata()->offset + 0x1000 + 28] ^= 0xFF;  // entry 1's crc
    EXPECT_EQ(b.boot()->partition.label, "app0");
}

TEST(Bootloader, EntryWithBadCrcOnFactorylessBoardIsLeftAlone) {
    // A power cut halfway through writing otadata[0]: seq landed, state and CRC did not.
    BootBench b(Layout::ArduinoDefault);
    auto half = OtaDataEntry::make(1, S::Valid).serialize();
    std::fill(half.begin() + 16, half.end(), 0xFF);
    OtaData(b.flash_.nor, *b.table_.otadata()).erase_all();
    b.flash_.nor.write(b.table_.otadata()->offset, half.data(), half.size());
    auto d = b.boot();
    ASSERT_TRUE(d) << b.error;
    EXPECT_EQ(d->partition.label, "app0");
    auto od = b.otadata();
    EXPECT_EQ(od[0].ota_seq, 1u);
    EXPECT_EQ(od[0].crc, 0xFFFFFFFFu) << "not rewritten: ESP-IDF only initialises blank otadata";
}

TEST(Bootloader, CorruptActiveImageFallsBackDownwards) {
    BootBench b(Layout::ArduinoDefault);
    Entry e[2] = {{1, S::Valid}, {2, S::New}};
    b.set_otadata(e);
    b.corrupt("app1", 0x800);
    auto d = b.boot();
    ASSERT_TRUE(d);
    EXPECT_EQ(d->partition.label, "app0");
    EXPECT_NE(b.log.find("checksum"), std::string::npos) << b.log;
    // The NEW entry was still moved to PENDING_VERIFY before the load failed, as ESP-IDF does;
    // the next boot turns it into ABORTED.
    EXPECT_EQ(b.otadata()[1].ota_state, S::PendingVerify);
    b.boot();
    EXPECT_EQ(b.otadata()[1].ota_state, S::Aborted);
}

TEST(Bootloader, CorruptActiveImageFallsBackToFactory) {
    BootBench b(Layout::TwoOta);
    Entry e[2] = {{1, S::Valid}, {kBlank, S::Undefined}};
    b.set_otadata(e);
    b.corrupt("ota_0", 0);  // magic
    EXPECT_EQ(b.boot()->partition.label, "factory");
}

TEST(Bootloader, FallbackScansForwardWhenLowerSlotsFail) {
    BootBench b(Layout::ArduinoDefault);
    Entry e[2] = {{1, S::Valid}, {kBlank, S::Undefined}};
    b.set_otadata(e);
    b.corrupt("app0", 0x100);
    auto d = b.boot();
    ASSERT_TRUE(d);
    EXPECT_EQ(d->partition.label, "app1");
}

TEST(Bootloader, AntiRollbackSkipsSlotBelowMinimum) {
    BootBench b(Layout::ArduinoDefault);
    test::put_image(b.flash_, *b.table_.find_label("app0"), test::make_image("5.0.0", 3));
    test::put_image(b.flash_, *b.table_.find_label("app1"), test::make_image("4.0.0", 2));
    Entry e[2] = {{1, S::Valid}, {2, S::Valid}};
    b.set_otadata(e);
    auto d = b.boot(3);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->partition.label, "app0") << "app1 (secure_version 2) is below the minimum 3";
    EXPECT_NE(b.log.find("below the minimum"), std::string::npos);
    EXPECT_FALSE(b.boot(4)) << "nothing at or above 4";
    EXPECT_NE(b.error.find("anti-rollback"), std::string::npos);
}

TEST(Bootloader, NoPartitionTableIsReported) {
    test::RamFlash f;
    RamSecureVersionStore fuses;
    Bootloader b(f.nor, fuses, chip_id::kHost);
    EXPECT_FALSE(b.select_and_verify());
    EXPECT_NE(b.error().find("0x8000"), std::string::npos) << b.error();
}

TEST(Bootloader, EmptySlotsMeanNothingBoots) {
    test::RamFlash f;
    auto bin = product_table(Layout::ArduinoDefault).serialize();
    f.nor.write(kPartitionTableOffset, bin.data(), bin.size());
    RamSecureVersionStore fuses;
    Bootloader b(f.nor, fuses, chip_id::kHost);
    EXPECT_FALSE(b.select_and_verify());
}
