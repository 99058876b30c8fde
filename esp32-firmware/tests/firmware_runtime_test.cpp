// The Firmware runtime shared by both boards, in-process on a fake board: what it reports at
// boot, when it confirms an image, how it answers commands.
#include <gtest/gtest.h>

#include "secure_ota/bootloader.h"
#include "secure_ota/firmware.h"
#include "secure_ota/flash_ota_ops.h"
#include "test_support.h"

using namespace secure_ota;

namespace {

struct Restarted {};

struct FakeSerial : SerialPort {
    std::string out, in;
    size_t pos = 0;
    void write(const char* d, size_t n) override { out.append(d, n); }
    int read_byte() override { return pos < in.size() ? static_cast<unsigned char>(in[pos++]) : -1; }
};

struct FakeClock : Clock {
    uint32_t now = 0;
    uint32_t millis() override { return now; }
    void sleep_ms(uint32_t ms) override { now += ms; }
};

class FakeBoard : public Board {
public:
    explicit FakeBoard(Layout layout) : table_(product_table(layout)) {}
    Flash& flash() override { return chip.nor; }
    SerialPort& serial() override { return serial_; }
    Clock& clock() override { return clock_; }
    SecureVersionStore& secure_version_store() override { return fuses; }
    LcdDriver& lcd_driver() override { return lcd_; }
    LedDriver& led_driver() override { return led_; }
    ResetReason reset_reason() const override { return ResetReason::PowerOn; }
    uint32_t running_partition_offset() const override { return running; }
    uint16_t chip_id() const override { return chip_id::kHost; }
    [[noreturn]] void restart() override { throw Restarted{}; }

    // Runs the bootloader, as a power-on would, and points the board at its choice.
    void boot() {
        Bootloader b(chip.nor, fuses, chip_id::kHost);
        auto d = b.select_and_verify();
        ASSERT_TRUE(d) << b.error();
        running = d->partition.offset;
    }

    test::RamFlash chip;
    RamSecureVersionStore fuses;
    FakeSerial serial_;
    FakeClock clock_;
    NullLcdDriver lcd_;
    NullLedDriver led_;
    PartitionTable table_;
    uint32_t running = 0;
};

class ScriptedApp : public App {
public:
    bool passes = true;
    bool started = false;
    bool self_test(AppContext&, std::string& failure) override {
        if (!passes) failure = "scripted failure";
        return passes;
    }
    void start(AppContext& ctx, uint32_t) override {
        started = true;
        ctx.lcd.show("SHOP-DISPLAY", "v" + ctx.self.version);
        ctx.led.set(LedPattern::blink(1000, 50));
    }
    void loop(AppContext&, uint32_t) override {}
};

// V1 in ota_0 confirmed, then V2 installed in ota_1 and activated (NEW).
void prepare_pending_v2(FakeBoard& board) {
    test::factory_flash(board.chip, Layout::ArduinoDefault, test::make_image("1.0.0", 1));
    board.boot();
    FlashOtaOps ops(board.chip.nor, board.table_, *board.table_.find_label("app0"), board.fuses, chip_id::kHost);
    auto v2 = test::make_image("2.0.0", 2);
    const PartitionEntry* t = ops.next_update_partition();
    ASSERT_EQ(ops.begin(*t, static_cast<uint32_t>(v2.size())), OtaError::Ok);
    ASSERT_EQ(ops.write(v2.data(), v2.size()), OtaError::Ok);
    ASSERT_EQ(ops.end(), OtaError::Ok);
    ASSERT_EQ(ops.set_boot_partition(*t), OtaError::Ok);
    board.boot();  // NEW -> PENDING_VERIFY, runs V2
}

}  // namespace

TEST(FirmwareRuntime, ConfirmsAPendingImageOnlyAfterItsSelfTest) {
    FakeBoard board(Layout::ArduinoDefault);
    ASSERT_NO_FATAL_FAILURE(prepare_pending_v2(board));
    ScriptedApp app;
    Firmware fw(board, app);
    fw.setup();
    const std::string& out = board.serial_.out;
    size_t boot = out.find("\"ev\":\"boot\"");
    size_t selftest = out.find("\"ev\":\"selftest\",\"passed\":true");
    size_t confirmed = out.find("\"ev\":\"app_state\",\"slot\":\"ota_1\",\"state\":\"valid\"");
    ASSERT_NE(boot, std::string::npos) << out;
    EXPECT_NE(out.find("\"state\":\"pending_verify\""), std::string::npos) << "boot reports the unconfirmed state";
    ASSERT_NE(selftest, std::string::npos) << out;
    ASSERT_NE(confirmed, std::string::npos) << out;
    EXPECT_LT(boot, selftest);
    EXPECT_LT(selftest, confirmed);
    EXPECT_TRUE(app.started);
    EXPECT_EQ(board.fuses.min_secure_version(), 2u) << "confirming V2 raised the anti-rollback minimum";
}

TEST(FirmwareRuntime, FailedSelfTestRestartsWithoutConfirming) {
    FakeBoard board(Layout::ArduinoDefault);
    ASSERT_NO_FATAL_FAILURE(prepare_pending_v2(board));
    ScriptedApp app;
    app.passes = false;
    Firmware fw(board, app);
    fw.setup();
    EXPECT_FALSE(app.started);
    EXPECT_NE(board.serial_.out.find("AUTOTEST ECHOUE"), std::string::npos) << "French without lcd_lang";
    EXPECT_NO_THROW(fw.loop()) << "the alert stays on the LCD for a moment first";
    board.clock_.now += Firmware::kRollbackDelayMs;
    EXPECT_THROW(fw.loop(), Restarted);
    OtaDataPair od;
    OtaData(board.chip.nor, *board.table_.otadata()).read(od);
    EXPECT_EQ(od[1].ota_state, OtaImgState::Invalid) << "the image marked itself invalid (remembered as a failure)";
    board.boot();
    EXPECT_EQ(board.table_.find_containing(board.running)->label, "app0") << "rolled back to V1";
}

TEST(FirmwareRuntime, AnswersStatusCheckRebootAndUnknownCommands) {
    FakeBoard board(Layout::TwoOta);
    test::factory_flash(board.chip, Layout::TwoOta, test::make_image("1.0.0", 1));
    board.boot();
    ScriptedApp app;
    Firmware fw(board, app);
    fw.setup();
    auto& s = board.serial_;
    s.out.clear();
    s.in = "@ota1 {\"cmd\":\"status\"}\n@ota1 {\"cmd\":\"check\"}\n@ota1 {\"cmd\":\"erase\"}\n";
    fw.loop();
    EXPECT_NE(s.out.find("{\"ev\":\"ack\",\"cmd\":\"status\"}"), std::string::npos);
    for (const char* ev : {"boot", "partitions", "lcd", "led"})
        EXPECT_NE(s.out.find(std::string("\"ev\":\"") + ev + "\""), std::string::npos) << ev;
    EXPECT_NE(s.out.find("\"code\":\"UNSUPPORTED\""), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("\"code\":\"BAD_COMMAND\""), std::string::npos) << s.out;
    s.in += "@ota1 {\"cmd\":\"reboot\"}\n";
    EXPECT_THROW(fw.loop(), Restarted);
}

TEST(FirmwareRuntime, HeartbeatEveryPeriod) {
    FakeBoard board(Layout::TwoOta);
    test::factory_flash(board.chip, Layout::TwoOta, test::make_image("1.0.0", 1));
    board.boot();
    ScriptedApp app;
    Firmware fw(board, app);
    fw.setup();
    auto count = [&] {
        size_t n = 0;
        for (size_t p = 0; (p = board.serial_.out.find("\"ev\":\"heartbeat\"", p)) != std::string::npos; ++p) ++n;
        return n;
    };
    for (int i = 0; i < 3; ++i) {
        board.clock_.now += Firmware::kHeartbeatPeriodMs;
        fw.loop();
    }
    EXPECT_EQ(count(), 3u);
}

TEST(FirmwareRuntime, UnprovisionedDeviceRunsButRefusesUpdates) {
    FakeBoard board(Layout::ArduinoDefault);
    test::factory_flash(board.chip, Layout::ArduinoDefault, test::make_image("1.0.0", 1), /*with_factory_data=*/false);
    board.boot();
    ScriptedApp app;
    Firmware fw(board, app);
    fw.setup();
    EXPECT_EQ(fw.factory_data(), nullptr);
    EXPECT_NE(board.serial_.out.find("\"code\":\"NOT_PROVISIONED\""), std::string::npos);
    EXPECT_EQ(fw.lcd().row_text(0), "NON PROVISIONNE ") << "no factory data: no lcd_lang, French";
    board.serial_.in = "@ota1 {\"cmd\":\"check\"}\n";
    board.serial_.out.clear();
    fw.loop();
    EXPECT_NE(board.serial_.out.find("\"phase\":\"verdict\",\"code\":\"NOT_PROVISIONED\""), std::string::npos);
}

// lcd_lang "en" in the factory data: the runtime's own screens in English.
TEST(FirmwareRuntime, FactoryDataLcdLangEnShowsEnglishTexts) {
    FakeBoard board(Layout::ArduinoDefault);
    ASSERT_NO_FATAL_FAILURE(prepare_pending_v2(board));
    FactoryData fd = test::sample_factory_data();
    fd.lcd_lang = "en";
    auto bytes = fd.serialize();
    ASSERT_EQ(board.chip.nor.erase(kFactoryDataOffset, 0x2000), FlashStatus::Ok);
    ASSERT_EQ(board.chip.nor.write(kFactoryDataOffset, bytes.data(), bytes.size()), FlashStatus::Ok);
    ScriptedApp app;
    app.passes = false;
    Firmware fw(board, app);
    fw.setup();
    ASSERT_NE(fw.factory_data(), nullptr);
    EXPECT_EQ(fw.lcd_language(), LcdLanguage::En);
    EXPECT_EQ(fw.lcd().row_text(0), "SELF-TEST FAILED");
    EXPECT_EQ(fw.lcd().row_text(1), "ROLLBACK...     ");
}
