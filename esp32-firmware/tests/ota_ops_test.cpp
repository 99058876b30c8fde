// The app-side OTA API on a RAM chip: what the OTA engine (issue 7) will call.
#include <gtest/gtest.h>

#include <cstdio>

#include "secure_ota/bootloader.h"
#include "secure_ota/flash_ota_ops.h"
#include "secure_ota/power_cut_flash.h"
#include "test_support.h"

using namespace secure_ota;

namespace {

// A board running V1 from ota_0 after its first boot (otadata[0] = {1, VALID}).
struct Device {
    explicit Device(Layout layout = Layout::ArduinoDefault) : table(product_table(layout)) {
        test::factory_flash(flash, layout, test::make_image("1.0.0", 1));
        reboot();
    }
    // The bootloader's pass, then the ops of the app it starts.
    PartitionEntry reboot() {
        Bootloader b(flash.nor, fuses, chip_id::kHost);
        auto d = b.select_and_verify();
        EXPECT_TRUE(d) << b.error();
        running = d->partition;
        version = d->image.descriptor.version;
        ops = std::make_unique<FlashOtaOps>(flash.nor, table, running, fuses, chip_id::kHost);
        return running;
    }
    OtaError install(const std::vector<uint8_t>& image, size_t chunk = 1000) {
        const PartitionEntry* target = ops->next_update_partition();
        OtaError e = ops->begin(*target, static_cast<uint32_t>(image.size()));
        if (e != OtaError::Ok) return e;
        for (size_t off = 0; off < image.size(); off += chunk) {
            e = ops->write(image.data() + off, std::min(chunk, image.size() - off));
            if (e != OtaError::Ok) return e;
        }
        e = ops->end();
        if (e != OtaError::Ok) return e;
        return ops->set_boot_partition(*target);
    }
    OtaDataPair otadata() {
        OtaDataPair p;
        OtaData(flash.nor, *table.otadata()).read(p);
        return p;
    }

    test::RamFlash flash;
    RamSecureVersionStore fuses;
    PartitionTable table;
    PartitionEntry running;
    std::string version;
    std::unique_ptr<FlashOtaOps> ops;
};

}  // namespace

TEST(OtaOps, UpdateThenConfirmThenUpdateAgain) {
    Device d;
    EXPECT_EQ(d.running.label, "app0");
    ASSERT_EQ(d.install(test::make_image("2.0.0", 1)), OtaError::Ok) << d.ops->last_error();
    // set_boot_partition wrote the next seq into the other sector, state NEW
    auto od = d.otadata();
    EXPECT_EQ(od[1].ota_seq, 2u);
    EXPECT_EQ(od[1].ota_state, OtaImgState::New);
    d.reboot();
    EXPECT_EQ(d.version, "2.0.0");
    EXPECT_EQ(d.ops->running_state(), OtaImgState::PendingVerify);
    ASSERT_EQ(d.ops->mark_app_valid_cancel_rollback(), OtaError::Ok);
    EXPECT_EQ(d.otadata()[1].ota_state, OtaImgState::Valid);
    EXPECT_EQ(d.fuses.min_secure_version(), 1u) << "confirming burns the app's secure_version";
    // V3 goes back into app0: seq 3 (smallest >= 2 mapping to ota_0), in sector 0
    ASSERT_EQ(d.install(test::make_image("3.0.0", 2)), OtaError::Ok) << d.ops->last_error();
    od = d.otadata();
    EXPECT_EQ(od[0].ota_seq, 3u);
    EXPECT_EQ(od[0].crc, 0xED4A5011u);
    d.reboot();
    EXPECT_EQ(d.version, "3.0.0");
}

TEST(OtaOps, FirstSixteenBytesAreHeldBackUntilEnd) {
    Device d;
    auto image = test::make_image("2.0.0", 1, 20000);
    const PartitionEntry* target = d.ops->next_update_partition();
    ASSERT_EQ(d.ops->begin(*target, static_cast<uint32_t>(image.size())), OtaError::Ok);
    ASSERT_EQ(d.ops->write(image.data(), image.size() - 100), OtaError::Ok);
    EXPECT_EQ(d.ops->resume_offset(), 0x4000u) << "whole sectors only";
    for (int i = 0; i < 16; ++i) EXPECT_EQ(d.flash.bytes[target->offset + i], 0xFF);
    EXPECT_EQ(d.flash.bytes[target->offset + 16], image[16]);
    // power lost here: the slot is not bootable, the bootloader keeps V1
    d.reboot();
    EXPECT_EQ(d.version, "1.0.0");
}

TEST(OtaOps, CorruptImageIsNeverActivatedAndSlotStaysUnbootable) {
    Device d;
    auto image = test::make_image("2.0.0", 1, 20000);
    image[9000] ^= 0x01;
    const PartitionEntry* target = d.ops->next_update_partition();
    ASSERT_EQ(d.ops->begin(*target, static_cast<uint32_t>(image.size())), OtaError::Ok);
    ASSERT_EQ(d.ops->write(image.data(), image.size()), OtaError::Ok);
    EXPECT_EQ(d.ops->end(), OtaError::ValidateFailed);
    EXPECT_NE(d.ops->last_error().find("checksum"), std::string::npos) << d.ops->last_error();
    EXPECT_EQ(d.flash.bytes[target->offset], 0xFF) << "header never written";
    EXPECT_EQ(d.ops->set_boot_partition(*target), OtaError::ValidateFailed);
    d.reboot();
    EXPECT_EQ(d.version, "1.0.0");
}

TEST(OtaOps, BeginRefusals) {
    Device d;
    EXPECT_EQ(d.ops->begin(d.running), OtaError::PartitionConflict);
    EXPECT_EQ(d.ops->begin(*d.table.otadata()), OtaError::InvalidArgument);
    EXPECT_EQ(d.ops->begin(*d.ops->next_update_partition(), 0x200000), OtaError::InvalidArgument) << "too big";
    // an unconfirmed app may not start another update
    ASSERT_EQ(d.install(test::make_image("2.0.0", 1)), OtaError::Ok);
    d.reboot();
    EXPECT_EQ(d.ops->begin(*d.ops->next_update_partition()), OtaError::RollbackInvalidState);
}

TEST(OtaOps, WriteRefusals) {
    Device d;
    uint8_t junk[4] = {0x7F, 'E', 'L', 'F'};
    EXPECT_EQ(d.ops->write(junk, 4), OtaError::NoSession);
    ASSERT_EQ(d.ops->begin(*d.ops->next_update_partition(), 100), OtaError::Ok);
    EXPECT_EQ(d.ops->write(junk, 4), OtaError::ValidateFailed) << "first byte must be 0xE9";
    auto image = test::make_image("2.0.0", 1);
    ASSERT_EQ(d.ops->begin(*d.ops->next_update_partition(), 100), OtaError::Ok);
    EXPECT_EQ(d.ops->write(image.data(), 101), OtaError::SizeMismatch) << "never more than announced";
    ASSERT_EQ(d.ops->begin(*d.ops->next_update_partition(), static_cast<uint32_t>(image.size())), OtaError::Ok);
    d.ops->write(image.data(), image.size() - 1);
    EXPECT_EQ(d.ops->end(), OtaError::SizeMismatch) << "Update.end() with missing bytes";
}

TEST(OtaOps, FlashErrorsKeepTheFlashVerdict) {
    Device d;
    FlashOpCounter c;
    PowerCutFlash::arm(c, 0, CutPoint::Before);
    PowerCutFlash dead(d.flash.nor, c);
    FlashOtaOps ops(dead, d.table, d.running, d.fuses, chip_id::kHost);
    EXPECT_EQ(ops.begin(*ops.next_update_partition()), OtaError::FlashFailed);
    EXPECT_NE(ops.last_error().find("power lost"), std::string::npos) << ops.last_error();
}

TEST(OtaOps, ResumeFromLastSectorBoundary) {
    Device d;
    auto image = test::make_image("2.0.0", 1, 30000);
    const PartitionEntry* target = d.ops->next_update_partition();
    ASSERT_EQ(d.ops->begin(*target, static_cast<uint32_t>(image.size())), OtaError::Ok);
    ASSERT_EQ(d.ops->write(image.data(), 13000), OtaError::Ok);  // connection drops here
    uint32_t resume = d.ops->resume_offset();
    EXPECT_EQ(resume, 12288u);
    EXPECT_EQ(d.ops->resume_from(5000), OtaError::InvalidArgument);
    ASSERT_EQ(d.ops->resume_from(resume), OtaError::Ok);
    ASSERT_EQ(d.ops->write(image.data() + resume, image.size() - resume), OtaError::Ok);
    ASSERT_EQ(d.ops->end(), OtaError::Ok) << d.ops->last_error();
    ASSERT_EQ(d.ops->set_boot_partition(*target), OtaError::Ok);
}

TEST(OtaOps, AntiRollbackRefusesLowerSecureVersion) {
    Device d;
    d.fuses.raise_min_secure_version(2);
    auto image = test::make_image("2.0.0", 1);
    EXPECT_EQ(d.install(image), OtaError::SmallSecureVersion);
}

TEST(OtaOps, MarkInvalidRollsBackToPreviousApp) {
    Device d;
    ASSERT_EQ(d.install(test::make_image("2.0.0", 1)), OtaError::Ok);
    d.reboot();
    ASSERT_EQ(d.ops->mark_app_invalid_rollback(), OtaError::Ok);
    EXPECT_EQ(d.otadata()[1].ota_state, OtaImgState::Invalid);
    d.reboot();
    EXPECT_EQ(d.version, "1.0.0");
}

TEST(OtaOps, FactoryAppHasNothingToConfirm) {
    Device d(Layout::TwoOta);
    EXPECT_EQ(d.running.label, "factory");
    EXPECT_EQ(d.ops->mark_app_valid_cancel_rollback(), OtaError::NotAnOtaApp);
    EXPECT_EQ(d.ops->next_update_partition()->label, "ota_0");
}

// What the rollback demo does on the real board: V4 is installed exactly as the OTA engine
// will install it, boots, never confirms itself, and the bootloader restores V1.
TEST(OtaOps, BrokenV4IsRolledBackWithEspIdfOtadataStates) {
    for (Layout layout : {Layout::ArduinoDefault, Layout::TwoOta}) {
        Device d(layout);
        ASSERT_EQ(d.install(test::make_image("4.0.0", 1)), OtaError::Ok);
        d.reboot();  // V4 starts: NEW -> PENDING_VERIFY
        EXPECT_EQ(d.version, "4.0.0");
        EXPECT_EQ(d.ops->running_state(), OtaImgState::PendingVerify);
        d.reboot();  // its self-test failed and it restarted without confirming
        EXPECT_EQ(d.version, "1.0.0");
        auto od = d.otadata();
        if (layout == Layout::ArduinoDefault) {
            EXPECT_EQ(od[0].ota_seq, 1u);
            EXPECT_EQ(od[0].ota_state, OtaImgState::Valid);
            EXPECT_EQ(od[1].ota_seq, 2u);
            EXPECT_EQ(od[1].ota_state, OtaImgState::Aborted);
            EXPECT_EQ(od[1].crc, 0x55F63774u);
        } else {
            EXPECT_EQ(od[0].ota_seq, 1u);
            EXPECT_EQ(od[0].ota_state, OtaImgState::Aborted);
            EXPECT_EQ(od[0].crc, 0x4743989Au);
            EXPECT_TRUE(od[1].is_blank());
            EXPECT_EQ(d.running.label, "factory");
        }
    }
}

// A small power-cut sweep over one update, as issue 7 will run it at full scale: after a
// cut at any operation, the next boot runs V1 or V2, never nothing.
TEST(OtaOps, PowerCutAtAnyOperationNeverBricks) {
    auto image = test::make_image("2.0.0", 1, 9000);
    uint32_t total = 0;
    {
        Device d;
        FlashOpCounter c;
        PowerCutFlash flash(d.flash.nor, c);
        FlashOtaOps ops(flash, d.table, d.running, d.fuses, chip_id::kHost);
        const PartitionEntry* t = ops.next_update_partition();
        ASSERT_EQ(ops.begin(*t, static_cast<uint32_t>(image.size())), OtaError::Ok);
        ASSERT_EQ(ops.write(image.data(), image.size()), OtaError::Ok);
        ASSERT_EQ(ops.end(), OtaError::Ok);
        ASSERT_EQ(ops.set_boot_partition(*t), OtaError::Ok);
        total = c.completed;
    }
    ASSERT_GT(total, 4u);
    std::printf("[ figures  ] one %zu-byte update = %u flash operations; sweeping %u cut points\n", image.size(),
                total, 2 * total);
    for (CutPoint point : {CutPoint::Before, CutPoint::Halfway}) {
        for (uint32_t n = 0; n < total; ++n) {
            Device d;
            FlashOpCounter c;
            PowerCutFlash::arm(c, n, point);
            PowerCutFlash flash(d.flash.nor, c);
            FlashOtaOps ops(flash, d.table, d.running, d.fuses, chip_id::kHost);
            const PartitionEntry* t = ops.next_update_partition();
            if (ops.begin(*t, static_cast<uint32_t>(image.size())) == OtaError::Ok &&
                ops.write(image.data(), image.size()) == OtaError::Ok && ops.end() == OtaError::Ok)
                ops.set_boot_partition(*t);
            ASSERT_EQ(c.tripped, 1u) << "cut " << n;
            d.reboot();
            EXPECT_TRUE(d.version == "1.0.0" || d.version == "2.0.0") << "cut at " << n;
            // and a later update still succeeds
            if (d.version == "2.0.0") {
                ASSERT_EQ(d.ops->mark_app_valid_cancel_rollback(), OtaError::Ok);
            }
            EXPECT_EQ(d.install(test::make_image("3.0.0", 1)), OtaError::Ok)
                << "cut " << n << ": " << d.ops->last_error();
        }
    }
}
