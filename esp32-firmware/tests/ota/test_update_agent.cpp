// The OTA engine inside H1's Firmware runtime, in-process: factory-fresh V1 device, the
// workbench's "check" command over serial, the in-memory server; the restart after UPDATED
// goes back through the bootloader, which must then run V2.
#include <gtest/gtest.h>

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
    ResetReason reset_reason() const override { return ResetReason::PowerOn; }
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
        TestApp app;
        Firmware fw(board, app);
        OtaUpdateAgent::Port port{
            [this](const std::string& ca, TrustedTime&) -> std::unique_ptr<Connector> {
                EXPECT_NE(ca.find("BEGIN CERTIFICATE"), std::string::npos) << "CA from factory data";
                return std::make_unique<FakeConnector>(server);
            },
            time, counters, [](const std::string& why) { throw Restarted{why}; }};
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
};

}  // namespace

TEST_F(AgentTest, CheckCommandUpdatesV1ToV2ThroughTheRuntime) {
    std::string why = power_on_and_check();
    EXPECT_EQ(version_before, "1.0.0");
    EXPECT_NE(why.find("2.0.0"), std::string::npos) << serial_out;
    EXPECT_NE(serial_out.find("\"ev\":\"ota\",\"phase\":\"download\""), std::string::npos);
    EXPECT_NE(serial_out.find("\"phase\":\"verdict\",\"code\":\"UPDATED\""), std::string::npos) << serial_out;
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
