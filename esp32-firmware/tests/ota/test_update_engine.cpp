// The update engine against the in-memory server, on H1's OtaOps over a RAM NOR chip, with
// H1's bootloader deciding what boots afterwards.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_fixture.h"
#include "secure_ota/app_image.h"
#include "secure_ota/bootloader.h"
#include "secure_ota/nor_flash.h"
#include "secure_ota/ota/update_engine.h"
#include "secure_ota/partition_layouts.h"
#include "test_helpers.h"

using namespace secure_ota;
using namespace secure_ota::ota;
using namespace ota_test;

TEST_F(EngineTest, UpdatesV1ToV2) {
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.image_requests, 1u);
    EXPECT_EQ(r.resumes, 0u);
    EXPECT_EQ(r.image_bytes_received, server.image.size());
    EXPECT_EQ(counters.load()->counter, 3u);
    EXPECT_EQ(counters.load()->version, "2.0.0");
    ASSERT_FALSE(observer.progress.empty());
    EXPECT_EQ(observer.progress.back(), server.image.size());
    EXPECT_LE(observer.progress.size(), 102u) << "progress is throttled to at most once per percent";
    EXPECT_EQ(observer.phases.back(), UpdatePhase::Done);
    // Requests: manifest with the API key and the running version, then the image.
    ASSERT_EQ(server.requests.size(), 2u);
    EXPECT_NE(server.requests[0].find("GET /api/v1/manifest?product=shop-display&device=esp32-lab-01&current=1.0.0 HTTP/1.1"),
              std::string::npos);
    EXPECT_NE(server.requests[0].find("Authorization: Bearer key-123"), std::string::npos);
    EXPECT_NE(server.requests[1].find("GET /firmware/shop-display-2.0.0.bin HTTP/1.1"), std::string::npos);
    EXPECT_EQ(server.requests[1].find("Range:"), std::string::npos);
    EXPECT_NE(last_report.find("\"verdict\":\"UPDATED\""), std::string::npos);
    // The new app confirms itself; V3 then installs over V1's slot.
    ASSERT_EQ(ops->mark_app_valid_cancel_rollback(), OtaError::Ok);
    ManifestFields f;
    f.ints["counter"] = 4;
    f.ints["secure_version"] = 1;
    offer(make_image("3.0.0", 1, 30000), f, "3.0.0");
    server.image_path = "/firmware/shop-display-2.0.0.bin";
    UpdateResult r3 = update();
    ASSERT_EQ(r3.outcome.verdict, Verdict::Updated) << r3.outcome.detail;
    boot();
    EXPECT_EQ(running.label, "app0");
    EXPECT_EQ(running_version, "3.0.0");
}

// On a fast link (the virtual board on the host) progress is a dozen lines: the first step, each
// tenth of the image and the end, not one serial line and journal event per percent.
TEST_F(EngineTest, ProgressOnAFastLinkIsTheFirstStepEachTenthAndTheEnd) {
    offer(make_image("2.0.0", 1, 600000));
    server.ms_per_segment = 0;  // the clock does not move: everything arrives at once
    expect_updated(update());
    const uint32_t size = uint32_t(server.image.size());
    ASSERT_FALSE(observer.progress.empty());
    EXPECT_EQ(observer.progress.back(), size);
    EXPECT_LE(observer.progress.front(), size / 100 + 1500) << "the first step reports";
    EXPECT_LE(observer.progress.size(), 12u);
    for (uint32_t tenth = 1; tenth < 10; ++tenth) {
        const uint32_t at = size / 10 * tenth;
        EXPECT_TRUE(std::any_of(observer.progress.begin(), observer.progress.end(),
                                [&](uint32_t p) { return p >= at && p < at + size / 100 + 1500; }))
            << "no progress near tenth " << tenth << " (byte " << at << ")";
    }
}

// On an ESP32-speed link (tens of KiB/s: a percent takes longer than the 50 ms gap) progress is
// still one line per percent, as the timeline's progress bar shows it.
TEST_F(EngineTest, ProgressOnASlowLinkIsOncePerPercent) {
    offer(make_image("2.0.0", 1, 600000));
    server.ms_per_segment = 20;  // 1500 bytes per 20 ms: 75 KB/s
    expect_updated(update());
    EXPECT_EQ(observer.progress.back(), server.image.size());
    const uint32_t step = uint32_t(server.image.size()) / 100;
    ASSERT_GE(observer.progress.size(), 50u);
    for (size_t i = 1; i < observer.progress.size(); ++i)
        EXPECT_LE(observer.progress[i] - observer.progress[i - 1], step + 1500) << "a percent went unreported before byte "
                                                                                << observer.progress[i];
    EXPECT_LE(observer.progress.size(), 102u);
}

TEST_F(EngineTest, NoUpdateOn204) {
    server.manifest_status = 204;
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::NoUpdate);
    EXPECT_EQ(server.image_requests, 0);
}

TEST_F(EngineTest, FlippedByteIsHashMismatchAndSlotStaysUnbootable) {
    // Sampled offsets across the image: header, descriptor, segment data, checksum, appended hash.
    const size_t n = server.image.size();
    for (size_t off : {size_t(1), size_t(12), size_t(0x20 + 16), size_t(0x200), size_t(5000), size_t(4095), size_t(4096),
                       n / 2, n - 33, n - 32, n - 1}) {
        SCOPED_TRACE("flipped offset " + std::to_string(off));
        server.flip_byte = off;
        UpdateResult r = update();
        expect_refused_and_safe(r, Verdict::HashMismatch);
        EXPECT_LE(r.image_bytes_received, n);
    }
    server.flip_byte = 0;  // the magic byte: OtaOps refuses it at once
    expect_refused_and_safe(update(), Verdict::ImageInvalid);
}

TEST_F(EngineTest, ManifestRefusalsRequestNoImageByte) {
    struct Case {
        const char* name;
        std::function<void(ManifestFields&)> edit;
        Verdict expected;
    } cases[] = {
        {"other product", [](ManifestFields& f) { f.strings["product"] = "other"; }, Verdict::ManifestWrongProduct},
        {"expired", [](ManifestFields& f) { f.ints["expires_at"] = 1764500000; }, Verdict::ManifestExpired},
        {"downgrade", [](ManifestFields& f) { f.strings["version"] = "0.9.0"; }, Verdict::DowngradeRefused},
        {"oversize", [](ManifestFields& f) { f.ints["size"] = 0x140001; }, Verdict::ImageTooLarge},
        {"secure_version", [](ManifestFields& f) { f.ints["secure_version"] = 0; }, Verdict::SecureVersionTooLow},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        ManifestFields f;
        c.edit(f);
        offer(make_image("2.0.0", 1), f, f.strings["version"] == "0.9.0" ? "0.9.0" : "2.0.0");
        int before = server.image_requests;
        UpdateResult r = update();
        expect_refused_and_safe(r, c.expected);
        EXPECT_EQ(server.image_requests, before) << "no image byte requested";
        EXPECT_EQ(r.image_requests, 0u);
    }
    // Bad signature.
    server.manifest = make_jws(header_json(), ManifestFields{}.to_json(), pki("other-key.pem"));
    expect_refused_and_safe(update(), Verdict::ManifestSignatureInvalid);
    EXPECT_EQ(server.image_requests, 0);
    EXPECT_FALSE(counters.load().has_value()) << "nothing accepted, nothing persisted";
}

TEST_F(EngineTest, CounterNeverGoesBack) {
    ManifestFields f;
    f.ints["counter"] = 7;
    offer(make_image("2.0.0", 1), f);
    server.flip_byte = 100;  // accepted manifest, failed download: the counter still advanced
    expect_refused_and_safe(update(), Verdict::HashMismatch);
    EXPECT_EQ(counters.load()->counter, 7u);
    f.ints["counter"] = 6;
    offer(make_image("2.0.0", 1), f);
    server.flip_byte.reset();
    expect_refused_and_safe(update(), Verdict::ManifestReplayed);
    f.ints["counter"] = 7;  // the same release again (retry) is fine
    offer(make_image("2.0.0", 1), f);
    expect_updated(update());
}

TEST_F(EngineTest, NoValidTimeStopsBeforeConnecting) {
    time.t.reset();
    expect_refused_and_safe(update(), Verdict::NoValidTime);
    EXPECT_EQ(server.connections, 0);
    time.t = 86400;  // RTC at 1970
    expect_refused_and_safe(update(), Verdict::NoValidTime);
    EXPECT_EQ(server.connections, 0);
}

TEST_F(EngineTest, NotProvisioned) {
    key.reset();
    expect_refused_and_safe(update(), Verdict::NotProvisioned);
    EXPECT_EQ(server.connections, 0);
}

TEST_F(EngineTest, TlsRefusalStopsBeforeAnyRequest) {
    server.refuse_connect = Outcome::of(Verdict::TlsCertUntrusted, "verify flags 0x08");
    expect_refused_and_safe(update(), Verdict::TlsCertUntrusted);
    EXPECT_TRUE(server.requests.empty());
    // A rogue server appearing mid-update (after the manifest) is a refusal, not a retry.
    server.refuse_connect_from = server.connections + 2;
    server.cut_image_after_body[1] = 5000;
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::TlsCertUntrusted);
    EXPECT_EQ(r.resumes, 0u);
}

TEST_F(EngineTest, AuthRejected) {
    server.api_key = "other";
    expect_refused_and_safe(update(), Verdict::AuthRejected);
}

TEST_F(EngineTest, ServerErrors) {
    server.manifest_status = 500;
    expect_refused_and_safe(update(), Verdict::ServerError);
    server.manifest_status = 200;
    server.image_path = "/firmware/missing.bin";  // manifest names a file the server lacks
    ManifestFields f;
    server.image = make_image("2.0.0", 1);
    auto digest = secure_ota::crypto::Sha256::of(server.image.data(), server.image.size());
    f.strings["sha256"] = hex(digest.data(), digest.size());
    f.ints["size"] = int64_t(server.image.size());
    server.manifest = make_jws(header_json(), f.to_json());
    expect_refused_and_safe(update(), Verdict::ServerError);
}

TEST_F(EngineTest, OversizeManifestBody) {
    server.manifest = std::string(kMaxJwsSize + 1, 'A');
    expect_refused_and_safe(update(), Verdict::ManifestMalformed);
}

TEST_F(EngineTest, ServerSendsMoreOrOtherBytesThanTheManifest) {
    server.lie_content_length = true;
    UpdateResult lie = update();
    expect_refused_and_safe(lie, Verdict::SizeMismatch);
    EXPECT_EQ(lie.image_bytes_received, 0u) << "refused from the headers, before any byte reaches flash";
    server.lie_content_length = false;
    // Endless body after the declared length: never more than manifest.size bytes are taken.
    server.extra_after_body = std::string(100000, 'Z');
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.image_bytes_received, server.image.size());
}

TEST_F(EngineTest, ImageDescriptorMustMatchManifest) {
    offer(make_image("2.0.1", 1));  // signed manifest says 2.0.0, image says 2.0.1
    expect_refused_and_safe(update(), Verdict::VersionMismatch);
    ManifestFields f;
    f.ints["secure_version"] = 2;
    offer(make_image("2.0.0", 1), f);
    expect_refused_and_safe(update(), Verdict::VersionMismatch);
    offer(make_image("2.0.0", 1, 20000, chip_id::kEsp32));  // a real ESP32 image on the host
    expect_refused_and_safe(update(), Verdict::ImageInvalid);
    // Correct hash, but the image itself is corrupt (its appended SHA-256 does not match).
    auto img = make_image("2.0.0", 1);
    img[img.size() - 40] ^= 0xFF;
    offer(img);
    expect_refused_and_safe(update(), Verdict::ImageInvalid);
}

// issue 29: the time floor. FixedTime counts the SNTP questions; the floor only rises.
class CountingTime : public secure_ota::ota::TrustedTime {
public:
    std::optional<int64_t> t = 1765000000;
    int refreshes = 0;
    std::optional<int64_t> unix_time() override { return t; }
    void refresh() override { ++refreshes; }
};

TEST_F(EngineTest, TimeBelowTheFloorIsRefusedWithBothTimesAndNothingIsContacted) {
    RamTimeFloorStore floor;
    time_floor = &floor;
    build_time = 1764990000;  // the firmware's build, before the fixed clock (1765000000)
    time.t = 1764980000;      // turned back below the build time, still after 2025
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::NoValidTime);
    EXPECT_NE(r.outcome.detail.find("2025-12-06T00:13:20Z"), std::string::npos) << r.outcome.detail;  // offered
    EXPECT_NE(r.outcome.detail.find("2025-12-06T03:00:00Z"), std::string::npos) << r.outcome.detail;  // floor
    EXPECT_TRUE(server.requests.empty()) << "no connection below the floor";

    time.t = 1765000000;
    ManifestFields f;
    f.ints["issued_at"] = 1764999000;
    offer(make_image("2.0.0", 1), f);
    expect_updated(update());
    ASSERT_TRUE(floor.load());
    EXPECT_EQ(*floor.load(), 1764999000) << "raised to the verified manifest's issued_at";

    // Back to V1 in a fresh device state, same floor: a time a minute below the floor is refused.
    SetUp();
    time_floor = &floor;
    time.t = 1764999000 - 60;
    expect_refused_and_safe(update(), Verdict::NoValidTime);
    time.t = 1764999000;  // at the floor: accepted
    offer(make_image("2.0.0", 1), f);
    expect_updated(update());
}

TEST_F(EngineTest, TheFloorRisesOnlyWithVerifiedManifestsAndNeverPastTheClock) {
    RamTimeFloorStore floor;
    time_floor = &floor;
    // A forged manifest (another key) raises nothing.
    ManifestFields f;
    f.ints["issued_at"] = 1764999999;
    offer(make_image("2.0.0", 1), f);
    server.manifest = make_jws(header_json(), f.to_json(), pki("other-key.pem"));
    expect_refused_and_safe(update(), Verdict::ManifestSignatureInvalid);
    EXPECT_FALSE(floor.load().has_value());
    // A verified but expired one does: its issue time is a trusted time.
    f.ints["issued_at"] = 1764000000;
    f.ints["expires_at"] = 1764500000;
    offer(make_image("2.0.0", 1), f);
    expect_refused_and_safe(update(), Verdict::ManifestExpired);
    EXPECT_EQ(floor.load(), std::optional<int64_t>(1764000000));
    // Issued 200 s ahead of the device (within the skew): the floor stops at the device's clock.
    f.ints["issued_at"] = 1765000200;
    f.ints["expires_at"] = 1766592000;
    offer(make_image("2.0.0", 1), f);
    expect_updated(update());
    EXPECT_EQ(floor.load(), std::optional<int64_t>(1765000000));
}

TEST_F(EngineTest, TheTimeSourceIsAskedAgainBeforeEveryCheck) {
    CountingTime counting;
    UpdateConfig cfg;
    cfg.server_host = "localhost";
    cfg.device_id = "esp32-lab-01";
    cfg.api_key = "key-123";
    cfg.product = "shop-display";
    cfg.chip_id = chip_id::kHost;
    UpdateEngine::Deps deps{connector, clock, counting, *ops, *ops_flash, fuses, *store, key.get(), &observer};
    UpdateEngine engine(deps, cfg);
    server.manifest_status = 204;
    RunningApp app{running_version, 1};
    engine.run(app);
    engine.run(app);
    EXPECT_EQ(counting.refreshes, 2);
}

// issue 29: a correctly signed image of another product (its esp_app_desc_t.project_name) is
// refused before activation; before, it installed, failed its self-test and rolled back.
TEST_F(EngineTest, ImageOfAnotherProductIsRefusedBeforeActivation) {
    offer(make_image("2.0.0", 1, 20000, chip_id::kHost, "kiosk"));
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::ImageWrongProduct);
    EXPECT_NE(r.outcome.detail.find("kiosk"), std::string::npos) << r.outcome.detail;
    EXPECT_NE(r.outcome.detail.find("shop-display"), std::string::npos) << r.outcome.detail;
    offer(make_image("2.0.0", 1));
    expect_updated(update());
}

// issue 29: a per-device deployment's manifest names its device; another device refuses it.
TEST_F(EngineTest, ManifestBoundToAnotherDeviceIsRefused) {
    ManifestFields f;
    f.strings["device"] = "esp32-lab-02";
    offer(make_image("2.0.0", 1), f);
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::ManifestWrongDevice);
    EXPECT_EQ(r.image_requests, 0u) << "refused before any image byte is requested";
    f.strings["device"] = "esp32-lab-01";
    offer(make_image("2.0.0", 1), f);
    expect_updated(update());
}

TEST_F(EngineTest, ResumesAfterDropsAtManyOffsets) {
    const size_t n = server.image.size();
    for (size_t cut : {size_t(0), size_t(1), size_t(15), size_t(16), size_t(17), size_t(4095), size_t(4096), size_t(4097),
                       size_t(8192 + 100), n / 2, n - 1}) {
        SCOPED_TRACE("cut after " + std::to_string(cut) + " body bytes");
        SetUp();
        server.cut_image_after_body[1] = cut;
        UpdateResult r = update();
        expect_updated(r);
        EXPECT_EQ(r.resumes, 1u);
        EXPECT_EQ(server.image_requests, 2);
        ASSERT_EQ(observer.resumes.size(), 1u);
        uint32_t resumed = observer.resumes[0];
        EXPECT_EQ(resumed % kFlashSectorSize, 0u);
        EXPECT_LE(resumed, cut);
        if (resumed > 0) {
            // The open-ended form that docs/ota-verdicts.md documents: bytes=<offset>-
            const std::string& head = server.requests.back();
            const std::string want = "\r\nRange: bytes=" + std::to_string(resumed) + "-";
            size_t at = head.find(want);
            ASSERT_NE(at, std::string::npos) << head;
            at += want.size();
            EXPECT_TRUE(at == head.size() || head[at] == '\r') << "nothing after the dash: " << head;
        }
    }
}

TEST_F(EngineTest, DropInTheResponseHeadIsResumed) {
    server.cut_image_in_head[1] = 10;
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.resumes, 1u);
}

TEST_F(EngineTest, StallIsResumedThenTimesOut) {
    server.stall_image_after_body[1] = 6000;
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.resumes, 1u);
    SetUp();
    for (int i = 1; i <= 4; ++i) server.stall_image_after_body[i] = 100;
    r = update(3);
    expect_refused_and_safe(r, Verdict::Timeout);
    EXPECT_EQ(r.resumes, 3u);
}

TEST_F(EngineTest, ResumeAttemptsAreBounded) {
    for (int i = 1; i <= 10; ++i) server.cut_image_after_body[i] = 3000;
    UpdateResult r = update(2);
    expect_refused_and_safe(r, Verdict::ConnectionLost);
    EXPECT_EQ(r.resumes, 2u);
    EXPECT_EQ(server.image_requests, 3);
}

TEST_F(EngineTest, ServerIgnoringRangeIsRefusedNotMisassembled) {
    server.cut_image_after_body[1] = 9000;
    server.ignore_range = true;
    expect_refused_and_safe(update(), Verdict::ServerError);
}

TEST_F(EngineTest, WrongContentRangeIsRefusedNotMisassembled) {
    for (long shift : {-4096L, -1L, 1L}) {
        SCOPED_TRACE("Content-Range first byte off by " + std::to_string(shift));
        SetUp();
        server.cut_image_after_body[1] = 9000;
        server.content_range_shift = shift;
        UpdateResult r = update();
        expect_refused_and_safe(r, Verdict::SizeMismatch);
        EXPECT_EQ(server.image_requests, 2) << "refused from the resumed response's head, not retried";
        EXPECT_LE(r.image_bytes_written, 9000u);
    }
}

TEST_F(EngineTest, ReportAfterAResumeSaysWhatWasWrittenAndWhatWasReceived) {
    const size_t n = server.image.size();
    server.cut_image_after_body[1] = n / 2 + 100;  // the bytes after the last sector boundary come again
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.image_bytes_written, n);
    EXPECT_GT(r.image_bytes_received, n);
    EXPECT_EQ(r.image_bytes_received, server.image_body_bytes_sent);
    EXPECT_NE(last_report.find("\"bytes_written\":" + std::to_string(n) + ","), std::string::npos) << last_report;
    EXPECT_NE(last_report.find("\"bytes_received\":" + std::to_string(r.image_bytes_received) + ","), std::string::npos)
        << last_report;
    EXPECT_NE(last_report.find("\"total\":" + std::to_string(n)), std::string::npos) << last_report;
    EXPECT_EQ(last_report.find("\"bytes\":"), std::string::npos) << "the ambiguous name is gone: " << last_report;
}

TEST_F(EngineTest, ResumeWithAFlippedByteAfterTheDropStillFails) {
    server.cut_image_after_body[1] = 9000;
    server.flip_byte = 15000;  // served only in the resumed part
    expect_refused_and_safe(update(), Verdict::HashMismatch);
}

TEST_F(EngineTest, RefusesWhileRunningAppIsPendingVerify) {
    expect_updated(update());  // now running V2 in PENDING_VERIFY
    ManifestFields f;
    f.ints["counter"] = 4;
    offer(make_image("3.0.0", 1), f, "3.0.0");
    UpdateResult r = update();
    EXPECT_EQ(r.outcome.verdict, Verdict::AppNotConfirmed);
    EXPECT_EQ(server.connections, 2) << "refused before connecting";
}

TEST_F(EngineTest, CounterStoreFailureIsFlashError) {
    counters.set_failing(true);
    expect_refused_and_safe(update(), Verdict::FlashError);
    EXPECT_EQ(server.image_requests, 0);
}

TEST_F(EngineTest, ReportIsPostedAsJson) {
    UpdateResult r = update();
    UpdateConfig cfg;
    cfg.server_host = "localhost";
    cfg.device_id = "esp32-lab-01";
    cfg.api_key = "key-123";
    cfg.product = "shop-display";
    UpdateEngine::Deps deps{connector, clock, time, *ops, nor, fuses, counters, key.get(), nullptr};
    UpdateEngine engine(deps, cfg);
    Outcome o = engine.report(r, RunningApp{"1.0.0", 1});
    EXPECT_EQ(o.verdict, Verdict::Updated) << o.detail;
    ASSERT_EQ(server.reports.size(), 1u);
    // The Java server's schema: event, version, reason (refused only), bytes, total.
    EXPECT_EQ(server.reports[0].rfind("{\"event\":\"installed\",\"version\":\"2.0.0\",\"bytes_written\":", 0), 0u)
        << server.reports[0];
    EXPECT_NE(server.reports[0].find("\"verdict\":\"UPDATED\""), std::string::npos);
    EXPECT_NE(server.reports[0].find("\"total\":" + std::to_string(server.image.size())), std::string::npos);
    // A refusal: event refused with a bounded reason that starts with the code.
    UpdateResult refused = r;
    refused.outcome = Outcome::of(Verdict::HashMismatch, std::string(500, 'x'));
    std::string j = engine.report_json(refused, RunningApp{"1.0.0", 1});
    size_t p = j.find("\"reason\":\"HASH_MISMATCH: ");
    ASSERT_NE(p, std::string::npos) << j;
    EXPECT_NE(j.find("\"event\":\"refused\""), std::string::npos);
    size_t end = j.find('"', p + 10);
    EXPECT_LE(end - (p + 10), 256u) << "the server accepts at most 256 characters";
    EXPECT_NE(server.requests.back().find("POST /api/v1/devices/esp32-lab-01/report HTTP/1.1"), std::string::npos);
}

TEST_F(EngineTest, RolledBackVersionIsRefusedBeforeAnyImageByteAndANewerOneIsAccepted) {
    auto v4 = make_image("4.0.0", 1);
    RolledBackImage failed;
    failed.version = "4.0.0";
    failed.sha256 = secure_ota::crypto::Sha256::of(v4.data(), v4.size());
    rolled_back = failed;
    ManifestFields f;
    f.ints["counter"] = 5;
    offer(v4, f, "4.0.0");
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::VersionRolledBack);
    EXPECT_EQ(server.image_requests, 0);
    ASSERT_TRUE(r.manifest);
    EXPECT_EQ(r.manifest->version, "4.0.0");
    EXPECT_EQ(counters.load(), std::nullopt) << "a refused release leaves no trace in the counter";
    EXPECT_NE(last_report.find("\"verdict\":\"VERSION_ROLLED_BACK\""), std::string::npos) << last_report;

    // The same image under another name is the same failure.
    rolled_back->version = "4.0.1";
    expect_refused_and_safe(update(), Verdict::VersionRolledBack);

    // A newer version is installed.
    rolled_back = failed;
    f.ints["counter"] = 6;
    offer(make_image("4.0.1", 1), f, "4.0.1");
    UpdateResult ok = update();
    ASSERT_EQ(ok.outcome.verdict, Verdict::Updated) << ok.outcome.detail;
}

TEST_F(EngineTest, RollbackReportNamesTheVersionAndTheReason) {
    UpdateConfig cfg;
    cfg.server_host = "localhost";
    cfg.device_id = "esp32-lab-01";
    cfg.api_key = "key-123";
    cfg.product = "shop-display";
    UpdateEngine::Deps deps{connector, clock, time, *ops, nor, fuses, counters, key.get(), nullptr};
    UpdateEngine engine(deps, cfg);
    RolledBackImage failed;
    failed.version = "4.0.0";
    failed.reason = "'app1' never confirmed itself";
    EXPECT_EQ(engine.report_rollback(failed, RunningApp{"1.0.0", 1}).verdict, Verdict::Updated);
    ASSERT_EQ(server.reports.size(), 1u);
    EXPECT_EQ(server.reports[0].rfind("{\"event\":\"rolled_back\",\"version\":\"4.0.0\",\"reason\":\"rolled back to 1.0.0: 'app1' never", 0),
              0u)
        << server.reports[0];
}
