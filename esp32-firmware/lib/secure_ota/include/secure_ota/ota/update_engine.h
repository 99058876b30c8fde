// The update path of issue 7, steps 1-6, over H1's OtaOps (esp_ota_* semantics with the
// first 16 bytes held back until end()):
//
//   time check -> connect (TLS, lab CA, hostname) -> GET manifest with the API key ->
//   verify (manifest_verifier.h order) -> persist the accepted counter -> OtaOps::begin ->
//   stream the image with on-the-fly SHA-256, resuming with Range from
//   OtaOps::resume_offset() at most max_resumes times -> constant-time SHA-256 compare ->
//   header/chip/descriptor (version, secure_version) check -> OtaOps::end() (full image
//   verification, writes the held-back header) -> OtaOps::set_boot_partition() -> UPDATED.
//
// Any refusal before end() leaves the target slot's first 16 bytes erased (0xFF), so neither
// otadata nor the bootloader's fallback scan can ever boot a half-written or refused image.
// Never more than manifest.size image bytes are accepted; every network wait is bounded by
// the read timeout and the whole run by total_timeout_ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "secure_ota/flash.h"
#include "secure_ota/ota/crypto/ecdsa_p256.h"
#include "secure_ota/ota/crypto/image_decryption.h"
#include "secure_ota/ota/freshness_statement.h"
#include "secure_ota/ota/http_client.h"
#include "secure_ota/ota/manifest_verifier.h"
#include "secure_ota/ota/rollback_memory.h"
#include "secure_ota/ota/secure_stream.h"
#include "secure_ota/ota/verdict.h"
#include "secure_ota/ota_ops.h"
#include "secure_ota/secure_version_store.h"

namespace secure_ota::ota {

// Where the highest accepted manifest counter survives reboots (NVS on the ESP32, a file or
// a flash sector on the host). It only ever grows.
class CounterStore {
public:
    virtual ~CounterStore() = default;
    virtual std::optional<CounterRecord> load() = 0;
    virtual bool store(const CounterRecord& record) = 0;
};

class RamCounterStore : public CounterStore {
public:
    std::optional<CounterRecord> load() override { return record_; }
    bool store(const CounterRecord& r) override {
        if (fail_) return false;
        record_ = r;
        return true;
    }
    void set_failing(bool fail) { fail_ = fail; }

private:
    std::optional<CounterRecord> record_;
    bool fail_ = false;
};

// The device's time floor: the latest trusted time it has seen (docs/manifest.md, "Time
// floor"), kept in NVS on the ESP32 and in a file on the virtual board. It only ever rises: the
// firmware's build time, then the issued_at of every manifest whose signature verified. A
// time source that answers below it is refused (NO_VALID_TIME), which bounds how far an
// attacker on the time path can turn a device's clock back.
class TimeFloorStore {
public:
    virtual ~TimeFloorStore() = default;
    virtual std::optional<int64_t> load() = 0;
    // Stores max(current, unix_seconds); false when it cannot be persisted.
    virtual bool raise(int64_t unix_seconds) = 0;
};

class RamTimeFloorStore : public TimeFloorStore {
public:
    std::optional<int64_t> load() override { return floor_; }
    bool raise(int64_t t) override {
        if (!floor_ || t > *floor_) floor_ = t;
        return true;
    }

private:
    std::optional<int64_t> floor_;
};

// The latest signed "nothing newer" statement the device accepted (freshness_statement.h):
// once there is one, an unsigned "no update" (HTTP 204) is refused, and after its expires_at
// with no fresher one the device reports FREEZE_SUSPECTED. Kept like the counter (NVS on the
// ESP32, a file on the virtual board).
struct FreshnessRecord {
    int64_t issued_at = 0;
    int64_t expires_at = 0;
};

class FreshnessStore {
public:
    virtual ~FreshnessStore() = default;
    virtual std::optional<FreshnessRecord> load() = 0;
    virtual bool store(const FreshnessRecord& record) = 0;
};

class RamFreshnessStore : public FreshnessStore {
public:
    std::optional<FreshnessRecord> load() override { return record_; }
    bool store(const FreshnessRecord& r) override {
        record_ = r;
        return true;
    }

private:
    std::optional<FreshnessRecord> record_;
};

// "2026-12-07T11:30:00Z" for a report line (UTC, proleptic Gregorian).
std::string utc_text(int64_t unix_seconds);

enum class UpdatePhase { CheckingTime, Connecting, FetchingManifest, VerifyingManifest, Downloading, VerifyingImage, Activating, Done };
const char* to_string(UpdatePhase p);

// Hooks for telemetry and the LCD; all optional. Called on the engine's thread.
class UpdateObserver {
public:
    virtual ~UpdateObserver() = default;
    virtual void on_phase(UpdatePhase) {}
    // At most every max(4 KiB, 1 %) of the image, and once at the end.
    virtual void on_progress(uint32_t bytes_done, uint32_t bytes_total) { (void)bytes_done; (void)bytes_total; }
    virtual void on_resume(uint32_t offset, uint32_t attempt) { (void)offset; (void)attempt; }
    // A TLS connection is up: `purpose` "manifest", "image" or "report"; `resumed`: it resumed
    // the session of an earlier connection of this check (ConnectResult::resumed).
    virtual void on_connected(const char* purpose, bool resumed) { (void)purpose; (void)resumed; }
};

struct UpdateConfig {
    std::string server_host;  // from factory data server_url
    uint16_t server_port = 443;
    std::string device_id;
    std::string api_key;
    std::string product;
    uint16_t chip_id = 0xFFFF;           // expected image chip id (chip_id::kHost on the host)
    uint32_t connect_timeout_ms = 10000;
    uint32_t total_timeout_ms = 300000;  // whole run, manifest to activation
    uint32_t max_resumes = 3;            // Range resumes after a dropped/stalled download
    HttpLimits http;
    // The version and image that failed on this device and were rolled back (RollbackStore,
    // marked invalid): offered again, they are refused with VERSION_ROLLED_BACK before any
    // image byte is requested.
    std::optional<RolledBackImage> rolled_back;
    // The firmware's build time (Unix seconds; 0 = unknown): the lowest the time floor can be.
    int64_t build_time = 0;
};

// What the running app is (from its own esp_app_desc_t).
struct RunningApp {
    std::string version;
    uint32_t secure_version = 0;
};

struct UpdateResult {
    Outcome outcome;
    std::optional<Manifest> manifest;  // once it verified
    std::string target_label;
    uint64_t image_bytes_received = 0;  // image body bytes received, over all requests (a resume re-sends some)
    uint32_t image_bytes_written = 0;   // image bytes in the target slot at the end (never more than the size)
    uint32_t image_requests = 0;        // 0 = no image byte was ever requested
    bool image_decrypted = false;       // an encrypted file was decrypted whole and its tag verified
    uint32_t resumes = 0;
    uint64_t bytes_after_body = 0;      // sent by the server after a Content-Length body (ignored)
};

class UpdateEngine {
public:
    struct Deps {
        Connector& connector;
        Clock& clock;
        TrustedTime& time;
        OtaOps& ota;
        const Flash& flash;           // to re-hash the written prefix when resuming
        SecureVersionStore& fuses;    // anti-rollback minimum (read only here)
        CounterStore& counters;
        const crypto::EcdsaP256PublicKey* signing_key;  // null = not provisioned
        UpdateObserver* observer = nullptr;
        // The product's esp_encrypted_img key from factory data; null = plaintext releases only.
        const crypto::ImageDecryptionKey* decryption_key = nullptr;
        // The time floor; null = none (only kMinPlausibleUnixTime and the build time bound the clock).
        TimeFloorStore* time_floor = nullptr;
        // The latest signed freshness statement (issue 29); null = none remembered.
        FreshnessStore* freshness = nullptr;
    };

    UpdateEngine(Deps deps, UpdateConfig config) : d_(deps), cfg_(std::move(config)) {}

    // One full attempt. Never throws; every outcome is a verdict.
    UpdateResult run(const RunningApp& running);

    // Best effort POST of a result to /api/v1/devices/{id}/report (new connection). NO_UPDATE
    // is not worth a report; callers skip it (OtaUpdateAgent does).
    Outcome report(const UpdateResult& result, const RunningApp& running);
    // The JSON body report() sends.
    std::string report_json(const UpdateResult& result, const RunningApp& running) const;
    // Best effort POST of {"event":"rolled_back","version":V,"reason":R,...} (new connection).
    Outcome report_rollback(const RolledBackImage& image, const RunningApp& running);
    std::string rollback_report_json(const RolledBackImage& image, const RunningApp& running) const;

private:
    Outcome fetch_manifest(std::string& jws, uint64_t deadline, const RunningApp& running);
    Outcome download(const Manifest& m, const PartitionEntry& target, UpdateResult& res, uint64_t deadline);
    Outcome finish_image(const Manifest& m, const PartitionEntry& target, const std::vector<uint8_t>& head,
                         const secure_ota::crypto::Sha256Digest& digest);
    Outcome post_report(const std::string& json);
    Outcome unsigned_no_update(const RunningApp& running);
    Outcome accept_freshness(const std::string& jws, const RunningApp& running);
    uint32_t timeout_until(uint64_t deadline, uint32_t cap);
    Outcome check_decryption_key(const Manifest& m) const;
    void phase(UpdatePhase p) {
        if (d_.observer) d_.observer->on_phase(p);
    }

    Deps d_;
    UpdateConfig cfg_;
    uint64_t bytes_after_body_ = 0;
};

}  // namespace secure_ota::ota
