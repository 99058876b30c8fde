// The virtual ESP32 end to end: factory, power, pty telemetry, reboot, rollback, power cut.
#include <gtest/gtest.h>

#include <fstream>

#include <sys/stat.h>

#include "board_harness.h"
#include "efuse_file.h"
#include "flash_file.h"
#include "secure_ota/bootloader.h"
#include "secure_ota/flash_ota_ops.h"
#include "test_support.h"

using namespace secure_ota;
using test::json_field;

namespace {

const std::string kImages = IMAGES_DIR;

class VirtualBoard : public ::testing::Test {
protected:
    std::string flash() const { return dir.path("flash.bin"); }
    std::string tty() const { return dir.path("ttyESP32"); }

    void factory(const std::string& app, const std::string& layout, bool provisioned = true) {
        std::vector<std::string> args{"factory", "--flash", flash(), "--app", kImages + "/" + app + ".bin",
                                      "--layout", layout};
        if (provisioned) {
            auto bytes = test::sample_factory_data().serialize();
            std::ofstream(dir.path("factory.bin"), std::ios::binary)
                .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
            args.push_back("--factory-data");
            args.push_back(dir.path("factory.bin"));
        }
        auto r = test::run_cli(args);
        ASSERT_EQ(r.exit_code, 0) << r.output;
    }

    // Writes `app` into the next slot and activates it exactly as the OTA engine will: OtaOps
    // on the flash file, as seen from the app running in `running_label`, in TCP-sized chunks.
    void install_as_ota_engine(const std::string& app, const std::string& running_label) {
        std::string err;
        auto file = vesp32::FlashFile::open(flash(), err);
        ASSERT_TRUE(file) << err;
        vesp32::EfuseFile fuses(vesp32::EfuseFile::path_for_flash(flash()));
        auto table = PartitionTable::read(file->nor(), err);
        ASSERT_TRUE(table) << err;
        FlashOtaOps ops(file->nor(), *table, *table->find_label(running_label), fuses, chip_id::kHost);
        auto image = test::read_file(kImages + "/" + app + ".bin");
        const PartitionEntry* target = ops.next_update_partition();
        ASSERT_EQ(ops.begin(*target, static_cast<uint32_t>(image.size())), OtaError::Ok) << ops.last_error();
        for (size_t off = 0; off < image.size(); off += 1460)
            ASSERT_EQ(ops.write(image.data() + off, std::min<size_t>(1460, image.size() - off)), OtaError::Ok);
        ASSERT_EQ(ops.end(), OtaError::Ok) << ops.last_error();
        ASSERT_EQ(ops.set_boot_partition(*target), OtaError::Ok) << ops.last_error();
    }

    OtaDataPair otadata() {
        std::string err;
        auto f = vesp32::FlashFile::open(flash(), err);
        EXPECT_TRUE(f) << err;
        auto table = PartitionTable::read(f->nor(), err);
        OtaDataPair p;
        OtaData(f->nor(), *table->otadata()).read(p);
        return p;
    }

    test::TempDir dir;
};

}  // namespace

TEST_F(VirtualBoard, V1BootsFromFactoryStateAndReportsOnThePty) {
    factory("v1_base", "default");
    test::BoardProcess board(flash(), tty());
    ASSERT_TRUE(board.wait_line("board: ready"));
    test::SerialLink uart(tty());
    ASSERT_TRUE(uart.is_open());

    auto boot = uart.wait_event("boot");
    ASSERT_TRUE(boot) << uart.transcript();
    EXPECT_EQ(json_field(*boot, "slot"), "ota_0");
    EXPECT_EQ(json_field(*boot, "version"), "1.0.0");
    EXPECT_EQ(json_field(*boot, "secure_version"), "1");
    EXPECT_EQ(json_field(*boot, "reset_reason"), "poweron");
    EXPECT_EQ(json_field(*boot, "provisioned"), "true");
    EXPECT_EQ(json_field(*boot, "device_id"), "esp32-lab-01");

    auto parts = uart.wait_event("partitions");
    ASSERT_TRUE(parts);
    EXPECT_NE(parts->find("\"label\":\"factory_data\",\"type\":64"), std::string::npos) << *parts;
    EXPECT_NE(parts->find("{\"seq\":1,\"state\":\"valid\",\"crc_ok\":true"), std::string::npos)
        << "the bootloader gave the blank otadata its first entry: " << *parts;

    EXPECT_TRUE(uart.wait_event("selftest", {"\"passed\":true"})) << uart.transcript();
    auto lcd = uart.wait_event("lcd");
    ASSERT_TRUE(lcd) << uart.transcript();
    EXPECT_NE(lcd->find("\"rows\":[\"SHOP-DISPLAY    \",\"V1 BASE  v1.0.0 \"]"), std::string::npos) << *lcd;
    auto led = uart.wait_event("led");
    ASSERT_TRUE(led);
    EXPECT_EQ(json_field(*led, "mode"), "blink");
    EXPECT_EQ(json_field(*led, "period_ms"), "1000");
    EXPECT_EQ(json_field(*led, "duty"), "50");
    board.stop();
}

TEST_F(VirtualBoard, SerialPortSurvivesRebootResetAndPowerCycle) {
    factory("v1_base", "two_ota");
    test::BoardProcess board(flash(), tty());
    ASSERT_TRUE(board.wait_line("board: ready"));
    test::SerialLink uart(tty());  // opened once, used across every restart below
    auto boot = uart.wait_event("boot");
    ASSERT_TRUE(boot) << uart.transcript();
    EXPECT_EQ(json_field(*boot, "slot"), "factory");
    ASSERT_TRUE(uart.wait_event("led"));

    uart.send("@ota1 {\"cmd\":\"status\"}");
    ASSERT_TRUE(uart.wait_event("ack", {"\"cmd\":\"status\""}));
    ASSERT_TRUE(uart.wait_event("boot", {"\"reset_reason\":\"poweron\""}));

    uart.send("@ota1 {\"cmd\":\"check\"}");
    auto verdict = uart.wait_event("ota", {"\"phase\":\"verdict\""});
    ASSERT_TRUE(verdict);
    // This board was made without factory data: the engine refuses before any network access.
    EXPECT_EQ(json_field(*verdict, "code"), "NOT_PROVISIONED") << *verdict;

    uart.send("@ota1 {\"cmd\":\"reboot\"}");
    ASSERT_TRUE(uart.wait_event("boot", {"\"reset_reason\":\"sw\""})) << uart.transcript();
    ASSERT_TRUE(uart.wait_event("led"));

    board.command("reset");
    ASSERT_TRUE(uart.wait_event("boot", {"\"reset_reason\":\"ext\""})) << uart.transcript();

    board.command("power-off");
    ASSERT_TRUE(board.wait_line("power off"));
    board.command("power-on");
    ASSERT_TRUE(uart.wait_event("boot", {"\"reset_reason\":\"poweron\""})) << uart.transcript();
    board.stop();
}

class RollbackOnBoard : public VirtualBoard, public ::testing::WithParamInterface<const char*> {};

// V4 is written into the inactive slot and activated exactly as the OTA engine will do it
// (OtaOps on the flash file, from the running V1), then the board is powered on.
TEST_P(RollbackOnBoard, BrokenV4IsRolledBackToV1) {
    const std::string layout = GetParam();
    factory("v1_base", layout);
    {
        // first boot, so that otadata holds whatever ESP-IDF's bootloader writes on a new board
        test::BoardProcess board(flash(), tty());
        test::SerialLink uart(tty());
        ASSERT_TRUE(uart.wait_event("selftest")) << uart.transcript();
        board.stop();
    }
    ASSERT_NO_FATAL_FAILURE(install_as_ota_engine("v4_broken", layout == "two_ota" ? "factory" : "app0"));
    test::BoardProcess board(flash(), tty());
    test::SerialLink uart(tty());
    auto v4 = uart.wait_event("boot", {"\"version\":\"4.0.0\""});
    ASSERT_TRUE(v4) << uart.transcript();
    EXPECT_EQ(json_field(*v4, "state"), "pending_verify");
    auto st = uart.wait_event("selftest");
    ASSERT_TRUE(st);
    EXPECT_EQ(json_field(*st, "passed"), "false");
    EXPECT_TRUE(uart.wait_event("lcd", {"AUTOTEST ECHOUE"}));
    auto back = uart.wait_event("boot", {"\"version\":\"1.0.0\""});
    ASSERT_TRUE(back) << uart.transcript();
    EXPECT_EQ(json_field(*back, "reset_reason"), "sw");
    EXPECT_NE(uart.transcript().find("image marked invalid"), std::string::npos) << uart.transcript();
    ASSERT_TRUE(uart.wait_event("lcd", {"SHOP-DISPLAY"}));
    board.stop();

    auto od = otadata();
    if (layout == "default") {
        EXPECT_EQ(od[0].ota_seq, 1u);
        EXPECT_EQ(od[0].ota_state, OtaImgState::Valid);
        EXPECT_EQ(od[1].ota_seq, 2u);
        EXPECT_EQ(od[1].ota_state, OtaImgState::Invalid);
        EXPECT_EQ(od[1].crc, 0x55F63774u);
    } else {
        EXPECT_EQ(od[0].ota_seq, 1u);
        EXPECT_EQ(od[0].ota_state, OtaImgState::Invalid);
        EXPECT_EQ(od[0].crc, 0x4743989Au);
        EXPECT_TRUE(od[1].is_blank());
    }
}

INSTANTIATE_TEST_SUITE_P(Layouts, RollbackOnBoard, ::testing::Values("default", "two_ota"));

// A release that never finishes its start: V5 crashes in its self-test (abort, a panic reset),
// V6 hangs in it (the task watchdog resets the chip after 5 s). Neither confirms itself nor says
// it is bad, so the bootloader rolls it back as never confirmed (ABORTED), and the previous app
// boots with the reset reason that tells why (the OTA agent reads it: docs/ota-verdicts.md).
struct StartFailure {
    const char* app;
    const char* version;
    const char* reset_reason;
    const char* board_line;
};

void PrintTo(const StartFailure& f, std::ostream* os) { *os << f.app; }

class StartFailureOnBoard : public VirtualBoard, public ::testing::WithParamInterface<StartFailure> {};

TEST_P(StartFailureOnBoard, ReleaseThatNeverFinishesItsStartIsRolledBackWithTheResetReason) {
    const StartFailure f = GetParam();
    factory("v1_base", "default");
    {
        test::BoardProcess board(flash(), tty());
        test::SerialLink uart(tty());
        ASSERT_TRUE(uart.wait_event("selftest")) << uart.transcript();
        board.stop();
    }
    ASSERT_NO_FATAL_FAILURE(install_as_ota_engine(f.app, "app0"));
    test::BoardProcess board(flash(), tty());
    test::SerialLink uart(tty());
    auto started = uart.wait_event("boot", {std::string("\"version\":\"") + f.version + "\""});
    ASSERT_TRUE(started) << uart.transcript();
    EXPECT_EQ(json_field(*started, "state"), "pending_verify");
    ASSERT_TRUE(board.wait_line(f.board_line)) << uart.transcript();
    auto back = uart.wait_event("boot", {"\"version\":\"1.0.0\""});
    ASSERT_TRUE(back) << uart.transcript();
    EXPECT_EQ(json_field(*back, "reset_reason"), f.reset_reason);
    EXPECT_EQ(json_field(*back, "slot"), "ota_0");
    ASSERT_TRUE(uart.wait_event("lcd", {"SHOP-DISPLAY"}));
    board.stop();

    auto od = otadata();
    EXPECT_EQ(od[0].ota_seq, 1u);
    EXPECT_EQ(od[0].ota_state, OtaImgState::Valid);
    EXPECT_EQ(od[1].ota_seq, 2u);
    EXPECT_EQ(od[1].ota_state, OtaImgState::Aborted) << "never confirmed, never marked invalid by itself";
}

INSTANTIATE_TEST_SUITE_P(Releases, StartFailureOnBoard,
                         ::testing::Values(StartFailure{"v5_panic", "5.0.0", "panic", "app crashed (signal"},
                                           StartFailure{"v6_hang", "6.0.0", "task_wdt", "app crashed (task watchdog"}),
                         [](const ::testing::TestParamInfo<StartFailure>& i) { return std::string(i.param.app); });

TEST_F(VirtualBoard, FactoryResetsEveryPieceOfDeviceState) {
    factory("v1_base", "default");
    // What a used board leaves beside its flash: a high manifest counter and a rollback.
    for (const char* name : {".ota-counter", ".ota-rollback", ".ota-counter.tmp"})
        std::ofstream(flash() + name) << "41 9.0.0\n";
    factory("v1_base", "default");
    for (const char* name : {".ota-counter", ".ota-rollback", ".ota-counter.tmp"}) {
        std::ifstream left(flash() + name);
        EXPECT_FALSE(left.good()) << "factory kept the previous board's " << flash() + name;
    }
    EXPECT_TRUE(std::ifstream(vesp32::EfuseFile::path_for_flash(flash())).good());
}

TEST_F(VirtualBoard, PowerCutHalfwayThroughArmedFlashOperation) {
    factory("v1_base", "default");
    // First boot of a factory-less board: op 1 erases otadata[0], op 2 writes it. Cut op 2
    // halfway: the sequence number lands, its CRC does not.
    test::BoardProcess board(flash(), tty(), {"--fail-after", "1", "--cut", "halfway"});
    auto cut = board.wait_line("power cut");
    ASSERT_TRUE(cut);
    EXPECT_NE(cut->find("flash operation 2 (halfway)"), std::string::npos) << *cut;
    auto od = otadata();
    EXPECT_EQ(od[0].ota_seq, 1u);
    EXPECT_EQ(od[0].crc, 0xFFFFFFFFu);
    EXPECT_FALSE(od[0].is_valid());

    test::SerialLink uart(tty());
    board.command("power-on");
    auto boot = uart.wait_event("boot");
    ASSERT_TRUE(boot) << uart.transcript();
    EXPECT_EQ(json_field(*boot, "version"), "1.0.0");
    EXPECT_EQ(json_field(*boot, "reset_reason"), "poweron");
    EXPECT_NE(uart.transcript().find("none valid (CRC)"), std::string::npos) << uart.transcript();
    board.stop();
    // ESP-IDF leaves such an entry alone (it is not "initial": its seq is set); the next
    // esp_ota_set_boot_partition() overwrites it.
    od = otadata();
    EXPECT_EQ(od[0].ota_seq, 1u);
    EXPECT_FALSE(od[0].is_valid());
}

// The count runs across processes: ops 1-2 are the bootloader's (NEW -> PENDING_VERIFY),
// op 3 is the app's first write (erasing otadata to confirm itself). Cutting there kills the
// app mid-confirmation, so the next boot must roll it back, as ESP-IDF would.
TEST_F(VirtualBoard, PowerCutInsideTheAppWhileItConfirmsItself) {
    factory("v1_base", "default");
    ASSERT_NO_FATAL_FAILURE(install_as_ota_engine("v2_promo", "app0"));  // blank otadata: V2 gets seq 2 in entry 0
    test::BoardProcess board(flash(), tty(), {"--fail-after", "2"});
    test::SerialLink uart(tty());
    ASSERT_TRUE(uart.wait_event("boot", {"\"version\":\"2.0.0\"", "\"state\":\"pending_verify\""})) << uart.transcript();
    auto cut = board.wait_line("power cut");
    ASSERT_TRUE(cut);
    EXPECT_NE(cut->find("flash operation 3 (before)"), std::string::npos) << *cut;
    EXPECT_EQ(otadata()[0].ota_state, OtaImgState::PendingVerify) << "the cut erase never happened";

    board.command("power-on");
    auto boot = uart.wait_event("boot");
    ASSERT_TRUE(boot) << uart.transcript();
    EXPECT_EQ(json_field(*boot, "version"), "1.0.0");
    board.stop();
    auto od = otadata();
    EXPECT_EQ(od[0].ota_seq, 2u);
    EXPECT_EQ(od[0].ota_state, OtaImgState::Aborted);
}

TEST_F(VirtualBoard, StatusCountsFlashOperations) {
    factory("v1_base", "default");
    test::BoardProcess board(flash(), tty());
    test::SerialLink uart(tty());
    ASSERT_TRUE(uart.wait_event("selftest"));
    board.command("status");
    auto st = board.wait_line("status power=on");
    ASSERT_TRUE(st);
    EXPECT_NE(st->find("flash_ops=2"), std::string::npos) << "erase + write of otadata[0]: " << *st;
    board.command("fail-after 0 before");
    ASSERT_TRUE(board.wait_line("armed fail-after=0"));
    uart.send("@ota1 {\"cmd\":\"reboot\"}");  // V1 is confirmed: the reboot itself writes nothing
    ASSERT_TRUE(uart.wait_event("boot", {"\"reset_reason\":\"sw\""}));
    board.stop();
}

TEST_F(VirtualBoard, UnprovisionedDeviceSaysSoOnSerialAndLcd) {
    factory("v1_base", "default", /*provisioned=*/false);
    test::BoardProcess board(flash(), tty());
    test::SerialLink uart(tty());
    auto boot = uart.wait_event("boot");
    ASSERT_TRUE(boot);
    EXPECT_EQ(json_field(*boot, "provisioned"), "false");
    EXPECT_TRUE(uart.wait_event("error", {"\"code\":\"NOT_PROVISIONED\""}));
    EXPECT_TRUE(uart.wait_event("lcd", {"NON PROVISIONNE"}));
    board.stop();
}

TEST(VirtualEsp32Cli, ClearErrorsAndNonZeroExitCodes) {
    test::TempDir dir;
    auto r = test::run_cli({"run", "--flash", dir.path("f.bin")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("missing --pty-link"), std::string::npos) << r.output;

    r = test::run_cli({"run", "--flash", dir.path("none.bin"), "--pty-link", dir.path("tty")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("virtual-esp32 factory"), std::string::npos) << "says what to do: " << r.output;

    std::ofstream(dir.path("junk.bin")) << "not an image";
    r = test::run_cli({"factory", "--flash", dir.path("f.bin"), "--app", dir.path("junk.bin")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("not a valid host app image"), std::string::npos) << r.output;

    r = test::run_cli({"factory", "--flash", dir.path("f.bin"), "--app", kImages + "/v1_base.bin", "--layout", "big"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("two_ota"), std::string::npos) << r.output;
}

TEST(VirtualEsp32Cli, FactoryDataIsWrittenOwnerOnly) {
    test::TempDir dir;
    std::ofstream(dir.path("ca.pem")) << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    std::ofstream(dir.path("sign.pem")) << "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
    std::ofstream(dir.path("fd.bin")) << "an older file, readable by all";
    ::chmod(dir.path("fd.bin").c_str(), 0644);
    auto r = test::run_cli({"factory-data", "--device-id", "esp32-lab-01", "--product", "shop-display", "--server-url",
                            "https://127.0.0.1:8443", "--api-key", "k", "--ca-cert", dir.path("ca.pem"),
                            "--signing-pubkey", dir.path("sign.pem"), "--out", dir.path("fd.bin")});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    struct stat st {};
    ASSERT_EQ(::stat(dir.path("fd.bin").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "the file holds the API key";
}

TEST_F(VirtualBoard, StopsWhenItsControllerGoesAwayIfAskedTo) {
    factory("v1_base", "default");
    test::BoardProcess board(flash(), tty(), {"--on-stdin-eof", "quit"});
    ASSERT_TRUE(board.wait_line("board: ready"));
    ASSERT_TRUE(board.wait_line("power on"));
    board.close_stdin();  // the workbench was killed: the kernel closed its end of the pipe
    EXPECT_TRUE(board.wait_line("controller gone"));
    EXPECT_TRUE(board.wait_line("power off"));
}
