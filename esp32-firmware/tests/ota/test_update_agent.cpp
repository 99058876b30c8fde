// The OTA engine inside H1's Firmware runtime, in-process: factory-fresh V1 device, the
// workbench's "check" command over serial, the in-memory server; the restart after UPDATED
// goes back through the bootloader, which must then run V2.
#include <gtest/gtest.h>

#include "ci_prerequisite.h"
#include "engine_fixture.h"
#include "secure_ota/firmware.h"
#include "secure_ota/ota/update_agent.h"

using namespace ota_test;

namespace {

struct Restarted {
    std::string why;
};

struct Serial : SerialPort {
    std::string out, in;
    size_t pos = 0;
    void write(const char* d, size_t n) override { out.append(d, n); }
    int read_byte() override { return pos < in.size() ? static_cast<unsigned char>(in[pos++]) : -1; }
};

struct BoardClock : secure_ota::Clock {
    uint32_t now = 0;
    uint32_t millis() override { return now += 1; }
    void sleep_ms(uint32_t ms) override { now += ms; }
};

class RamBoard : public Board {
public:
    RamBoard(NorFlash& nor, RamSecureVersionStore& fuses) : nor_(nor), fuses_(fuses) {}
    Flash& flash() override { return nor_; }
    SerialPort& serial() override { return uart; }
    secure_ota::Clock& clock() override { return clock_; }
    SecureVersionStore& secure_version_store() override { return fuses_; }
    LcdDriver& lcd_driver() override { return lcd_; }
    LedDriver& led_driver() override { return led_; }
    ResetReason reset_reason() const override { return reason; }
    ResetReason reason = ResetReason::PowerOn;
    uint32_t running_partition_offset() const override { return running; }
    uint16_t chip_id() const override { return chip_id::kHost; }
    [[noreturn]] void restart() override { throw Restarted{"board restart"}; }

    NorFlash& nor_;
    RamSecureVersionStore& fuses_;
    Serial uart;
    BoardClock clock_;
    NullLcdDriver lcd_;
    NullLedDriver led_;
    uint32_t running = 0;
};

class TestApp : public App {
public:
    bool self_test(AppContext&, std::string&) override { return true; }
    void start(AppContext& ctx, uint32_t) override { ctx.lcd.show("SHOP-DISPLAY", "v" + ctx.self.version); }
    void loop(AppContext&, uint32_t) override {}
};

class AgentTest : public EngineTest {
protected:
    void SetUp() override {
        EngineTest::SetUp();
        // Factory data, as the factory step writes it.
        FactoryData fd;
        fd.device_id = "esp32-lab-01";
        fd.product = "shop-display";
        fd.server_url = "https://localhost:8443";
        fd.api_key = "key-123";
        fd.ca_cert_pem = read_file(pki("lab-ca.pem"));
        fd.signing_pubkey_pem = read_file(pki("signing-pub.pem"));
        auto bytes = fd.serialize();
        const PartitionEntry* part = find_factory_data(table);
        ASSERT_NE(part, nullptr);
        ASSERT_EQ(nor.write(part->offset, bytes.data(), bytes.size()), FlashStatus::Ok);
    }

    // Power on: bootloader, then the runtime's setup() with the agent plugged in.
    std::string power_on_and_check() {
        Bootloader b(nor, fuses, chip_id::kHost);
        auto d = b.select_and_verify();
        EXPECT_TRUE(d) << b.error();
        RamBoard board(nor, fuses);
        board.running = d->partition.offset;
        board.reason = reset_reason;
        TestApp app;
        Firmware fw(board, app);
        OtaUpdateAgent::Port port{
            [this](const std::string& ca, TrustedTime&) -> std::unique_ptr<Connector> {
                EXPECT_NE(ca.find("BEGIN CERTIFICATE"), std::string::npos) << "CA from factory data";
                return std::make_unique<FakeConnector>(server);
            },
            time, counters, [](const std::string& why) { throw Restarted{why}; }};
        port.rollbacks = &rollbacks;
        OtaUpdateAgent agent(fw, board, port);
        fw.set_update_agent(&agent);
        fw.setup();
        board.uart.in = "@ota1 {\"cmd\":\"check\"}\n";
        std::string restarted;
        try {
            for (int i = 0; i < 5; ++i) fw.loop();
        } catch (const Restarted& r) {
            restarted = r.why;
        }
        serial_out = board.uart.out;
        version_before = fw.self().version;
        return restarted;
    }

    std::string serial_out;
    std::string version_before;
    RamRollbackStore rollbacks;  // the device's NVS, across power cycles
    ResetReason reset_reason = ResetReason::PowerOn;  // why the board (re)started before the check
};

}  // namespace

TEST_F(AgentTest, CheckCommandUpdatesV1ToV2ThroughTheRuntime) {
    std::string why = power_on_and_check();
    EXPECT_EQ(version_before, "1.0.0");
    EXPECT_NE(why.find("2.0.0"), std::string::npos) << serial_out;
    EXPECT_NE(serial_out.find("\"ev\":\"ota\",\"phase\":\"download\""), std::string::npos);
    EXPECT_NE(serial_out.find("\"phase\":\"verdict\",\"code\":\"UPDATED\""), std::string::npos) << serial_out;
    // How the image travelled, as an event before the verdict (the release is plaintext).
    size_t transport = serial_out.find("@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":false,");
    EXPECT_NE(transport, std::string::npos) << serial_out;
    EXPECT_LT(transport, serial_out.find("\"phase\":\"verdict\"")) << serial_out;
    ASSERT_EQ(server.reports.size(), 1u);
    EXPECT_EQ(ops->boot_partition()->label, "app1") << "otadata selects the new slot";
    // The restart: the bootloader boots V2 (NEW -> PENDING_VERIFY), its runtime confirms it
    // after the self-test, then answers the next check with NO_UPDATE.
    server.manifest_status = 204;
    EXPECT_EQ(power_on_and_check(), "");
    EXPECT_EQ(version_before, "2.0.0");
    EXPECT_NE(serial_out.find("\"code\":\"NO_UPDATE\""), std::string::npos) << serial_out;
    boot();
    EXPECT_EQ(ops->running_state(), OtaImgState::Valid) << "the runtime confirmed V2 after its self-test";
}

// Issue 16: V4 failed its self-test and was rolled back. The device tells the server once,
// and does not download, reboot into and roll back the same V4 on every check.
TEST_F(AgentTest, RolledBackVersionIsReportedOnceAndNotInstalledAgain) {
    ManifestFields f;
    f.ints["counter"] = 5;
    offer(make_image("4.0.0", 1), f, "4.0.0");
    EXPECT_NE(power_on_and_check().find("4.0.0"), std::string::npos) << serial_out;
    // V4 starts (NEW -> PENDING_VERIFY), fails its self-test and marks itself invalid, as the
    // runtime does (FirmwareRuntime.FailedSelfTestRestartsWithoutConfirming); the next boot runs V1.
    boot();
    ASSERT_EQ(running_version, "4.0.0");
    ASSERT_EQ(ops->mark_app_invalid_rollback(), OtaError::Ok);
    boot();
    ASSERT_EQ(running_version, "1.0.0");
    const int images_before = server.image_requests;
    const size_t reports_before = server.reports.size();

    EXPECT_EQ(power_on_and_check(), "") << "no download, no reboot";
    EXPECT_EQ(version_before, "1.0.0");
    EXPECT_EQ(server.image_requests, images_before);
    EXPECT_NE(serial_out.find("\"code\":\"VERSION_ROLLED_BACK\""), std::string::npos) << serial_out;
    EXPECT_NE(serial_out.find("\"rows\":[\"MISE A JOUR     \",\"VERSION REJETEE \"]"), std::string::npos) << serial_out;
    ASSERT_EQ(server.reports.size(), reports_before + 2) << "rolled_back, then the refusal";
    EXPECT_EQ(server.reports[reports_before].rfind("{\"event\":\"rolled_back\",\"version\":\"4.0.0\"", 0), 0u)
        << server.reports[reports_before];
    EXPECT_NE(server.reports[reports_before].find("\"running_version\":\"1.0.0\""), std::string::npos);
    EXPECT_NE(server.reports[reports_before + 1].find("\"verdict\":\"VERSION_ROLLED_BACK\""), std::string::npos);
    auto remembered = rollbacks.load();
    ASSERT_TRUE(remembered);
    EXPECT_EQ(remembered->version, "4.0.0");
    EXPECT_EQ(remembered->sha256, secure_ota::crypto::Sha256::of(server.image.data(), server.image.size()));
    EXPECT_TRUE(remembered->reported);

    // The next check: the same refusal, and no second rolled_back report.
    EXPECT_EQ(power_on_and_check(), "");
    EXPECT_EQ(server.image_requests, images_before);
    ASSERT_EQ(server.reports.size(), reports_before + 3);
    EXPECT_NE(server.reports.back().find("VERSION_ROLLED_BACK"), std::string::npos);

    // A newer version is installed as usual.
    f.ints["counter"] = 6;
    offer(make_image("4.0.1", 1), f, "4.0.1");
    EXPECT_NE(power_on_and_check().find("4.0.1"), std::string::npos) << serial_out;
    boot();
    EXPECT_EQ(running_version, "4.0.1");
}

// A power cut (or a crash) before V2's self-test ended: the bootloader aborts V2. That says
// nothing against V2, so the server hears of the rollback and the next check installs V2 again.
TEST_F(AgentTest, AbortedVersionIsReportedButOfferedAgain) {
    EXPECT_NE(power_on_and_check().find("2.0.0"), std::string::npos) << serial_out;
    boot();
    ASSERT_EQ(running_version, "2.0.0");
    boot();  // never confirmed: ABORTED
    ASSERT_EQ(running_version, "1.0.0");
    const size_t reports_before = server.reports.size();
    EXPECT_NE(power_on_and_check().find("2.0.0"), std::string::npos) << "installed again: " << serial_out;
    ASSERT_EQ(server.reports.size(), reports_before + 2);
    EXPECT_EQ(server.reports[reports_before].rfind("{\"event\":\"rolled_back\",\"version\":\"2.0.0\"", 0), 0u)
        << server.reports[reports_before];
    EXPECT_NE(server.reports[reports_before].find("never confirmed"), std::string::npos);
    EXPECT_NE(server.reports[reports_before + 1].find("\"event\":\"installed\""), std::string::npos);
    ASSERT_TRUE(rollbacks.load());
    EXPECT_FALSE(rollbacks.load()->marked_invalid);
    boot();
    EXPECT_EQ(running_version, "2.0.0");
}

// issue 29: a panic or a watchdog reset while V2 had not confirmed itself is V2 crashing or
// hanging in its self-test: it counts against V2 (rolled back and remembered, like a failed
// self-test), unlike the power cut above.
TEST_F(AgentTest, AbortedByAPanicOrAWatchdogCountsAgainstTheImage) {
    for (ResetReason crash : {ResetReason::Panic, ResetReason::TaskWatchdog}) {
        SetUp();
        rollbacks = RamRollbackStore{};
        reset_reason = ResetReason::PowerOn;
        EXPECT_NE(power_on_and_check().find("2.0.0"), std::string::npos) << serial_out;
        boot();
        ASSERT_EQ(running_version, "2.0.0");
        boot();  // V2 crashed in its self-test: the bootloader aborts it, V1 runs after a crash reset
        ASSERT_EQ(running_version, "1.0.0");
        reset_reason = crash;
        const int images_before = server.image_requests;
        const size_t reports_before = server.reports.size();
        EXPECT_EQ(power_on_and_check(), "") << "not installed again: " << serial_out;
        EXPECT_EQ(server.image_requests, images_before);
        EXPECT_NE(serial_out.find("\"code\":\"VERSION_ROLLED_BACK\""), std::string::npos) << serial_out;
        ASSERT_TRUE(rollbacks.load());
        EXPECT_TRUE(rollbacks.load()->marked_invalid);
        ASSERT_GE(server.reports.size(), reports_before + 1);
        EXPECT_NE(server.reports[reports_before].find(std::string("(") + to_string(crash) + " reset)"), std::string::npos)
            << server.reports[reports_before];
        // A later boot for another reason does not pardon V2.
        reset_reason = ResetReason::PowerOn;
        EXPECT_EQ(power_on_and_check(), "");
        EXPECT_EQ(server.image_requests, images_before);
        EXPECT_TRUE(rollbacks.load()->marked_invalid);
    }
}

TEST_F(AgentTest, FlippedByteShowsTheAlertAndStaysOnV1) {
    server.flip_byte = 7777;
    EXPECT_EQ(power_on_and_check(), "") << "no restart on a refusal";
    EXPECT_NE(serial_out.find("\"code\":\"HASH_MISMATCH\""), std::string::npos) << serial_out;
    EXPECT_NE(serial_out.find("\"rows\":[\"ALERTE S\xC3\x89" "CURIT\xC3\x89 \",\"HASH INVALID    \"]"), std::string::npos)
        << serial_out;
    ASSERT_EQ(server.reports.size(), 1u);
    EXPECT_NE(server.reports[0].find("HASH_MISMATCH"), std::string::npos);
    boot();
    EXPECT_EQ(running_version, "1.0.0");
}

TEST_F(AgentTest, RogueServerIsRefusedAndNotReportedTo) {
    server.refuse_connect = Outcome::of(Verdict::TlsCertUntrusted, "verify flags 0x08");
    EXPECT_EQ(power_on_and_check(), "");
    EXPECT_NE(serial_out.find("\"code\":\"TLS_CERT_UNTRUSTED\""), std::string::npos) << serial_out;
    EXPECT_EQ(server.connections, 1) << "no report attempt to a server that failed TLS";
    EXPECT_TRUE(server.requests.empty());
}

// The host wiring (ports/host/tls/host_ota.h) end to end: real TLS to the Python stand-in of
// the server, the factory CA and URL from factory data, the counter persisted in a file.
#include <ctime>
#include <fstream>

#include "host_ota.h"
#include "python_server.h"

TEST_F(AgentTest, HostOtaUpdatesOverRealTls) {
    if (std::string(PYTHON3_EXE).empty()) OTA_SKIP_OR_FAIL_IN_CI() << "python3 not found";
    char tmpl[] = "/tmp/ota-host-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    std::string dir = tmpl;
    const int64_t now = int64_t(std::time(nullptr));
    ManifestFields f;
    f.ints["issued_at"] = now - 3600;
    f.ints["expires_at"] = now + 86400;
    offer(make_image("2.0.0", 1), f);
    std::ofstream(dir + "/manifest.jws") << server.manifest;
    {
        std::ofstream img(dir + "/shop-display-2.0.0.bin", std::ios::binary);
        img.write(reinterpret_cast<const char*>(server.image.data()), std::streamsize(server.image.size()));
    }
    PythonServer srv(dir, "lab-server");
    ASSERT_NE(srv.port(), 0);
    // Re-provision with the real server's URL.
    FactoryData fd;
    fd.device_id = "esp32-lab-01";
    fd.product = "shop-display";
    fd.server_url = "https://localhost:" + std::to_string(srv.port());
    fd.api_key = "key-123";
    fd.ca_cert_pem = read_file(pki("lab-ca.pem"));
    fd.signing_pubkey_pem = read_file(pki("signing-pub.pem"));
    const PartitionEntry* part = find_factory_data(table);
    ASSERT_EQ(nor.erase(part->offset, part->size), FlashStatus::Ok);
    auto bytes = fd.serialize();
    ASSERT_EQ(nor.write(part->offset, bytes.data(), bytes.size()), FlashStatus::Ok);

    Bootloader b(nor, fuses, chip_id::kHost);
    auto d = b.select_and_verify();
    ASSERT_TRUE(d);
    RamBoard board(nor, fuses);
    board.running = d->partition.offset;
    TestApp app;
    Firmware fw(board, app);
    host::HostOta::Options o;
    o.counter_file = dir + "/flash.bin.ota-counter";
    host::HostOta host_ota(fw, board, o);
    fw.set_update_agent(&host_ota.agent());
    fw.setup();
    board.uart.in = "@ota1 {\"cmd\":\"check\"}\n";
    bool restarted = false;
    try {
        for (int i = 0; i < 5; ++i) fw.loop();
    } catch (const Restarted&) {
        restarted = true;
    }
    EXPECT_TRUE(restarted) << board.uart.out;
    EXPECT_NE(board.uart.out.find("\"code\":\"UPDATED\""), std::string::npos) << board.uart.out;
    EXPECT_EQ(read_file(o.counter_file), "3 2.0.0\n");
    EXPECT_NE(read_file(dir + "/reports.jsonl").find("UPDATED"), std::string::npos);
    boot();
    EXPECT_EQ(running_version, "2.0.0");
    run("rm -rf '" + dir + "'");
}
