// Power-cut sweep of the whole update path, after MCUboot's simulator, on the real images: the
// device runs the real V1 (images/v1_base.bin) and the server offers the real V2
// (images/v2_promo.bin), the update that the workbench runs. Count the flash operations of one
// clean update (N), then for every i in 1..N cut power before operation i and halfway through
// it, power on with no cut, and check that the bootloader finds a valid app and that the same
// release then installs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "engine_fixture.h"
#include "secure_ota/ota/flash_counter_store.h"
#include "secure_ota/power_cut_flash.h"

using namespace ota_test;

namespace {

std::vector<uint8_t> read_image(const std::string& name) {
    std::string bytes = read_file(std::string(IMAGES_DIR) + "/" + name + ".bin");
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

class PowerCutSweep : public EngineTest {
protected:
    void SetUp() override {
        EngineTest::SetUp();
        auto v1 = read_image("v1_base");
        auto v2 = read_image("v2_promo");
        ASSERT_GT(v2.size(), 100000u) << "the real V2 image, not a toy";
        const PartitionEntry& app0 = *table.ota_slots()[0];
        ASSERT_EQ(nor.erase(app0.offset, app0.size), FlashStatus::Ok);
        ASSERT_EQ(nor.write(app0.offset, v1.data(), v1.size()), FlashStatus::Ok);
        boot();
        ASSERT_EQ(running_version, "1.0.0");
        ASSERT_EQ(ops->running_state(), OtaImgState::Valid);
        offer(v2);  // signed once: every run below reuses this server state
        factory_flash_ = mem;
        factory_fuses_ = fuses;
        fresh_server_ = server;
    }

    // A board at V1 as SetUp left it, without re-signing or re-reading anything.
    void fresh_board() {
        std::copy(factory_flash_.begin(), factory_flash_.end(), mem.begin());
        fuses = factory_fuses_;
        counters = RamCounterStore{};
        server = fresh_server_;
        observer = Observer{};
        ops_flash = &nor;
        store = &counters;
    }

    // The counter store lives in flash (spiffs area) so that cuts hit it too.
    uint32_t store_offset() const { return table.find_label("spiffs")->offset; }

    void use_power_cut_flash() {
        cut_flash = std::make_unique<PowerCutFlash>(nor, op_counter);
        ops_flash = cut_flash.get();
        flash_store = std::make_unique<FlashCounterStore>(*cut_flash, store_offset());
        store = flash_store.get();
        boot();  // OtaOps over the power-cut flash
    }

    FlashOpCounter op_counter;
    std::unique_ptr<PowerCutFlash> cut_flash;
    std::unique_ptr<FlashCounterStore> flash_store;
    std::vector<uint8_t> factory_flash_;
    RamSecureVersionStore factory_fuses_;
    FakeServer fresh_server_;
};

}  // namespace

TEST_F(PowerCutSweep, EveryOperationOfTheRealV2UpdateBeforeAndHalfway) {
    // 1. One clean update, counting operations.
    use_power_cut_flash();
    PowerCutFlash::arm(op_counter, FlashOpCounter::kDisarmed, CutPoint::Before);
    UpdateResult clean = update();
    ASSERT_EQ(clean.outcome.verdict, Verdict::Updated) << clean.outcome.detail;
    const uint32_t n = op_counter.completed;
    const uint32_t sectors = uint32_t((server.image.size() + kFlashSectorSize - 1) / kFlashSectorSize);
    // OtaOps erases and programs every sector of the image (one write per sector, the held-back
    // header once more at the end), plus the counter record and otadata.
    EXPECT_GE(n, 2 * sectors) << "operations of one update";

    auto started = std::chrono::steady_clock::now();
    int runs = 0, booted_new = 0, reinstalled = 0;
    std::map<std::string, int> verdicts;
    for (uint32_t i = 1; i <= n; ++i) {
        for (CutPoint point : {CutPoint::Before, CutPoint::Halfway}) {
            SCOPED_TRACE("cut at operation " + std::to_string(i) + (point == CutPoint::Before ? " before" : " halfway"));
            fresh_board();
            use_power_cut_flash();
            PowerCutFlash::arm(op_counter, i - 1, point);  // operations 1..i-1 complete, i is cut
            UpdateResult r = update();
            ASSERT_EQ(op_counter.tripped, 1u) << "the cut must have happened, verdict " << to_string(r.outcome.verdict);
            ++verdicts[to_string(r.outcome.verdict)];
            // The engine saw the cut as a flash failure: never UPDATED, never a security alert.
            EXPECT_EQ(r.outcome.verdict, Verdict::FlashError) << r.outcome.detail;
            ++runs;

            // Power returns: no cut, the bootloader runs.
            PowerCutFlash::disarm(op_counter);
            Bootloader b(nor, fuses, chip_id::kHost);
            auto d = b.select_and_verify();
            ASSERT_TRUE(d) << "bricked: " << b.error();
            const std::string v = d->image.descriptor.version;
            ASSERT_TRUE(v == "1.0.0" || v == "2.0.0") << v;
            boot();
            if (v == "2.0.0") {
                ++booted_new;
                continue;
            }
            // Still on V1: the same release must install now (the counter may or may not have
            // been persisted before the cut; an equal counter for the same version is allowed).
            UpdateResult again = update();
            ASSERT_EQ(again.outcome.verdict, Verdict::Updated) << again.outcome.detail;
            boot();
            EXPECT_EQ(running_version, "2.0.0");
            ++reinstalled;
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("[ power-cut sweep ] real V2 image, %zu bytes (%u sectors): N = %u flash operations per update, %d cut runs"
                " (%d booted V2 directly, %d reinstalled V2 after booting V1), %.2f s\n",
                server.image.size(), sectors, n, runs, booted_new, reinstalled, secs);
    RecordProperty("flash_operations", int(n));
    // The otadata entry written last is the only commit point: no cut before it completes may
    // leave V2 bootable, and after every cut the release installs again.
    EXPECT_EQ(booted_new, 0);
    EXPECT_EQ(verdicts.size(), 1u) << "every cut ends as FLASH_ERROR";
}
