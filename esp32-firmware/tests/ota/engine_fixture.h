// The engine test fixture: a device on V1 (Arduino default layout: app0/app1, confirmed),
// H1's OtaOps and bootloader over a RAM NOR chip, and the in-memory server offering V2.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "fake_server.h"
#include "secure_ota/app_image.h"
#include "secure_ota/bootloader.h"
#include "secure_ota/flash_ota_ops.h"
#include "secure_ota/nor_flash.h"
#include "secure_ota/ota/update_engine.h"
#include "secure_ota/partition_layouts.h"
#include "test_helpers.h"

namespace ota_test {
using namespace secure_ota;
using namespace secure_ota::ota;

inline std::vector<uint8_t> make_image(const std::string& version, uint32_t secure_version, size_t payload_size = 20000,
                                uint16_t chip = chip_id::kHost, const std::string& project_name = "shop-display") {
    AppDescriptor d;
    d.secure_version = secure_version;
    d.version = version;
    d.project_name = project_name;
    d.time = "12:00:00";
    d.date = "Nov 24 2025";  // the time floor starts at the build: before the tests' clock (1765000000)
    d.idf_ver = "host";
    std::vector<uint8_t> payload(payload_size);
    uint32_t x = 0x12345678u ^ uint32_t(payload_size);
    for (auto& b : payload) {
        x = x * 1103515245u + 12345u;
        b = uint8_t(x >> 16);
    }
    return AppImageBuilder::build(d, payload, chip);
}

class Observer : public UpdateObserver {
public:
    void on_phase(UpdatePhase p) override { phases.push_back(p); }
    void on_progress(uint32_t done, uint32_t total) override {
        EXPECT_LE(done, total);
        progress.push_back(done);
    }
    void on_resume(uint32_t offset, uint32_t) override { resumes.push_back(offset); }
    void on_connected(const char* purpose, bool resumed) override {
        connections.push_back(std::string(purpose) + (resumed ? " resumed" : " full"));
    }
    std::vector<UpdatePhase> phases;
    std::vector<std::string> connections;  // "manifest full", "image resumed", ...
    std::vector<uint32_t> progress;
    std::vector<uint32_t> resumes;
};

// A device on V1 (Arduino default layout: app0/app1), confirmed, with a server offering V2.
class EngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        // Also called again inside a test to start over from a factory-fresh V1 device.
        mem.assign(kFlashSize4MB, 0xFF);
        fuses = RamSecureVersionStore{};
        counters = RamCounterStore{};
        server = FakeServer{};
        observer = Observer{};
        ops_flash = &nor;
        store = &counters;
        extra_observer = nullptr;
        time.t = 1765000000;
        table = product_table(Layout::ArduinoDefault);
        auto t = table.serialize();
        ASSERT_EQ(nor.write(kPartitionTableOffset, t.data(), t.size()), FlashStatus::Ok);
        auto v1 = make_image("1.0.0", 1);
        const PartitionEntry& app0 = *table.ota_slots()[0];
        ASSERT_EQ(nor.write(app0.offset, v1.data(), v1.size()), FlashStatus::Ok);
        boot();
        ASSERT_EQ(running.label, "app0");
        ASSERT_EQ(ops->mark_app_valid_cancel_rollback(), OtaError::Ok);

        std::string err;
        key = ota::crypto::EcdsaP256PublicKey::from_pem(read_file(pki("signing-pub.pem")), err);
        ASSERT_TRUE(key) << err;
        server.clock = &clock;
        offer(make_image("2.0.0", 1));
    }

    // The bootloader's pass, then OtaOps for the app it chose.
    void boot() {
        Bootloader b(nor, fuses, chip_id::kHost);
        auto d = b.select_and_verify();
        ASSERT_TRUE(d) << b.error();
        running = d->partition;
        running_version = d->image.descriptor.version;
        ops = std::make_unique<FlashOtaOps>(*ops_flash, table, running, fuses, chip_id::kHost);
    }

    // Publishes `image` with a manifest signed by the lab key.
    void offer(std::vector<uint8_t> image, ManifestFields f = {}, const std::string& version = "2.0.0") {
        server.image = std::move(image);
        auto digest = secure_ota::crypto::Sha256::of(server.image.data(), server.image.size());
        if (!f.strings.count("version") || f.strings["version"] == "2.0.0") f.strings["version"] = version;
        f.strings["url"] = server.image_path;
        if (f.strings["sha256"] == std::string(64, 'a')) f.strings["sha256"] = hex(digest.data(), digest.size());
        if (f.ints["size"] == 4096) f.ints["size"] = int64_t(server.image.size());
        server.manifest = make_jws(header_json(), f.to_json());
    }

    UpdateResult update(uint32_t max_resumes = 3) {
        UpdateConfig cfg;
        cfg.server_host = "localhost";
        cfg.server_port = 8443;
        cfg.device_id = "esp32-lab-01";
        cfg.api_key = "key-123";
        cfg.product = "shop-display";
        cfg.chip_id = chip_id::kHost;
        cfg.max_resumes = max_resumes;
        cfg.total_timeout_ms = 600000;
        cfg.rolled_back = rolled_back;
        cfg.build_time = build_time;
        UpdateEngine::Deps deps{connector, clock, time, *ops, *ops_flash, fuses, *store, key.get(), extra_observer ? extra_observer : &observer,
                                decryption_key, time_floor, freshness};
        UpdateEngine engine(deps, cfg);
        RunningApp app{running_version, 1};
        UpdateResult r = engine.run(app);
        last_report = engine.report_json(r, app);
        return r;
    }

    // Invariants after any refusal: the target slot cannot boot, the device still runs V1.
    void expect_refused_and_safe(const UpdateResult& r, Verdict expected) {
        EXPECT_EQ(r.outcome.verdict, expected) << to_string(r.outcome.verdict) << ": " << r.outcome.detail;
        const PartitionEntry& app1 = *table.ota_slots()[1];
        uint8_t head[16];
        ASSERT_EQ(nor.read(app1.offset, head, sizeof head), FlashStatus::Ok);
        for (uint8_t b : head) EXPECT_EQ(b, 0xFF) << "target slot header must stay erased";
        EXPECT_FALSE(AppImageVerifier(chip_id::kHost).verify(PartitionByteSource(nor, app1)).ok());
        EXPECT_EQ(ops->boot_partition()->label, "app0");
        boot();
        EXPECT_EQ(running.label, "app0");
        EXPECT_EQ(running_version, "1.0.0");
    }

    void expect_updated(const UpdateResult& r) {
        ASSERT_EQ(r.outcome.verdict, Verdict::Updated) << to_string(r.outcome.verdict) << ": " << r.outcome.detail;
        EXPECT_EQ(ops->boot_partition()->label, "app1");
        boot();
        EXPECT_EQ(running.label, "app1");
        EXPECT_EQ(running_version, "2.0.0");
        EXPECT_EQ(ops->running_state(), OtaImgState::PendingVerify);
    }

    std::vector<uint8_t> mem = std::vector<uint8_t>(kFlashSize4MB, 0xFF);
    NorFlash nor{mem.data(), uint32_t(mem.size())};
    PartitionTable table;
    RamSecureVersionStore fuses;
    PartitionEntry running;
    std::string running_version;
    std::unique_ptr<FlashOtaOps> ops;
    std::unique_ptr<ota::crypto::EcdsaP256PublicKey> key;
    FakeServer server;
    FakeConnector connector{server};
    FakeClock clock;
    FixedTime time;
    RamCounterStore counters;
    Flash* ops_flash = &nor;         // what OtaOps and the engine write through (a PowerCutFlash in sweeps)
    CounterStore* store = &counters;
    UpdateObserver* extra_observer = nullptr;  // replaces `observer` when set
    const ota::crypto::ImageDecryptionKey* decryption_key = nullptr;  // the device's, for encrypted releases
    Observer observer;
    std::string last_report;
    std::optional<RolledBackImage> rolled_back;  // what the device remembers as rolled back
    TimeFloorStore* time_floor = nullptr;        // the device's NVS time floor; null = none
    int64_t build_time = 0;
    FreshnessStore* freshness = nullptr;         // the device's latest signed freshness statement; null = none
};


}  // namespace ota_test
