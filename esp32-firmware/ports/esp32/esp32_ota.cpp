#include "esp32_ota.h"

#include <atomic>
#include <cstring>

#include <Arduino.h>
#include <Preferences.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_timer.h>

#include "secure_ota/ota/crypto/tls_connector.h"
#include "secure_ota/ota/server_address.h"

#ifndef SECURE_OTA_WIFI_SSID
#define SECURE_OTA_WIFI_SSID ""
#endif
#ifndef SECURE_OTA_WIFI_PASSWORD
#define SECURE_OTA_WIFI_PASSWORD ""
#endif
#ifndef SECURE_OTA_SNTP_SERVER
#define SECURE_OTA_SNTP_SERVER ""
#endif

namespace esp32_port {

namespace ota = secure_ota::ota;

namespace {

constexpr const char* kNvsNamespace = "secure_ota";  // shared with NvsSecureVersionStore
constexpr const char* kCounterKey = "ota_counter";
constexpr const char* kTimeFloorKey = "time_floor";
constexpr const char* kFreshnessKey = "freshness";
constexpr uint32_t kCounterMagic = 0x434D4F53;       // "SOMC", as FlashCounterStore
constexpr uint32_t kReconnectKickMs = 15000;

struct CounterBlob {
    uint32_t magic;
    uint32_t reserved;
    uint64_t counter;
    char version[40];  // NUL-terminated
};

bool valid_version_text(const std::string& v) {
    return !v.empty() && v.size() < sizeof(CounterBlob::version) && v.find_first_of(" \t\r\n") == std::string::npos;
}

// Written by the WiFi event task, read by loop().
std::atomic<uint32_t> g_disconnects{0};
std::atomic<uint32_t> g_last_reason{0};

uint64_t esp_nonce(void*) { return (uint64_t(esp_random()) << 32) | uint64_t(esp_random()); }

// Runs on the WiFi/event task: record only; loop() reports.
void on_wifi_disconnected(WiFiEvent_t, WiFiEventInfo_t info) {
    g_last_reason.store(info.wifi_sta_disconnected.reason);
    g_disconnects.fetch_add(1);
}

}  // namespace

uint64_t EspTimerClock::monotonic_ms() { return uint64_t(esp_timer_get_time() / 1000); }

std::optional<ota::CounterRecord> NvsCounterStore::load() {
    Preferences p;
    if (!p.begin(kNvsNamespace, true)) return std::nullopt;  // namespace not created yet
    CounterBlob blob{};
    size_t n = p.getBytesLength(kCounterKey) == sizeof blob ? p.getBytes(kCounterKey, &blob, sizeof blob) : 0;
    p.end();
    if (n != sizeof blob || blob.magic != kCounterMagic) return std::nullopt;
    blob.version[sizeof blob.version - 1] = '\0';
    std::string version = blob.version;
    if (!valid_version_text(version)) return std::nullopt;
    return ota::CounterRecord{blob.counter, version};
}

bool NvsCounterStore::store(const ota::CounterRecord& r) {
    if (!valid_version_text(r.version)) return false;
    auto cur = load();
    if (cur && r.counter < cur->counter) return false;
    CounterBlob blob{};
    blob.magic = kCounterMagic;
    blob.counter = r.counter;
    std::memcpy(blob.version, r.version.data(), r.version.size());
    Preferences p;
    if (!p.begin(kNvsNamespace, false)) return false;
    bool ok = p.putBytes(kCounterKey, &blob, sizeof blob) == sizeof blob;  // nvs_set_blob + nvs_commit
    p.end();
    return ok;
}

std::optional<int64_t> NvsTimeFloorStore::load() {
    Preferences p;
    if (!p.begin(kNvsNamespace, true)) return std::nullopt;
    bool present = p.isKey(kTimeFloorKey);
    int64_t t = present ? p.getLong64(kTimeFloorKey, 0) : 0;
    p.end();
    if (!present) return std::nullopt;
    return t;
}

bool NvsTimeFloorStore::raise(int64_t t) {
    auto cur = load();
    if (cur && t <= *cur) return true;
    Preferences p;
    if (!p.begin(kNvsNamespace, false)) return false;
    bool ok = p.putLong64(kTimeFloorKey, t) == sizeof(int64_t);  // nvs_set_i64 + nvs_commit
    p.end();
    return ok;
}

std::optional<ota::FreshnessRecord> NvsFreshnessStore::load() {
    Preferences p;
    if (!p.begin(kNvsNamespace, true)) return std::nullopt;
    int64_t blob[2] = {0, 0};
    bool present = p.isKey(kFreshnessKey) && p.getBytes(kFreshnessKey, blob, sizeof blob) == sizeof blob;
    p.end();
    if (!present) return std::nullopt;
    return ota::FreshnessRecord{blob[0], blob[1]};
}

bool NvsFreshnessStore::store(const ota::FreshnessRecord& r) {
    int64_t blob[2] = {r.issued_at, r.expires_at};
    Preferences p;
    if (!p.begin(kNvsNamespace, false)) return false;
    bool ok = p.putBytes(kFreshnessKey, blob, sizeof blob) == sizeof blob;  // nvs_set_blob + nvs_commit
    p.end();
    return ok;
}

Esp32Ota::Options Esp32Ota::options_from_build() {
    Options o;
    o.wifi_ssid = SECURE_OTA_WIFI_SSID;
    o.wifi_password = SECURE_OTA_WIFI_PASSWORD;
    std::string s = SECURE_OTA_SNTP_SERVER;
    if (s.empty()) s = "pool.ntp.org";
    std::string error;
    auto server = ota::parse_server_address(s, 123, error);
    if (!server) {
        o.sntp_error = "SECURE_OTA_SNTP_SERVER " + error + "; using pool.ntp.org:123";
        server = ota::ServerAddress{"pool.ntp.org", 123};
    }
    o.sntp_host = server->host;
    o.sntp_port = server->port;
    return o;
}

bool Esp32Ota::network_up() { return WiFi.status() == WL_CONNECTED; }

Esp32Ota::Esp32Ota(secure_ota::Firmware& firmware, secure_ota::Board& board, Options options)
    : fw_(firmware),
      options_(std::move(options)),
      network_(&Esp32Ota::network_up),
      time_(network_, clock_, options_.sntp_host, options_.sntp_port, esp_nonce) {
    ota::OtaUpdateAgent::Port port{
        [this](const std::string& ca_pem, ota::TrustedTime& time) -> std::unique_ptr<ota::Connector> {
            ota::TlsConnector::Options o;
            o.ca_pem = ca_pem;
            o.time = &time;
            o.clock = &clock_;  // a trickling server cannot stretch a read past its timeout
            o.rng_personalization = "secure-ota-esp32";
#if defined(SECURE_OTA_TLS_KEYLOG)
            // Only in a build that asked for it (-DSECURE_OTA_TLS_KEYLOG): the session secrets
            // on the serial line, one NSS key-log line each, for a lab capture of this board.
            o.key_log = [this](const std::string& line) { fw_.telemetry().log("SSLKEYLOG " + line); };
#endif
            return std::make_unique<ota::TlsConnector>(network_, std::move(o));
        },
        time_, counters_, {}};
    port.time_floor = &time_floor_;
    port.freshness = &freshness_;
    agent_ = std::make_unique<ota::OtaUpdateAgent>(firmware, board, port);
}

void Esp32Ota::begin() {
#if defined(SECURE_OTA_TLS_KEYLOG)
    fw_.telemetry().log("WARNING: built with SECURE_OTA_TLS_KEYLOG: this board prints its TLS session secrets (lab use only)");
#endif
    WiFi.onEvent(on_wifi_disconnected, ARDUINO_EVENT_WIFI_STA_DISCONNECTED);
    WiFi.mode(WIFI_STA);
    WiFi.setAutoReconnect(true);
    if (options_.wifi_ssid.empty()) {
        fw_.telemetry().log("WiFi: no SSID in this build; using the credentials stored in NVS");
        WiFi.begin();
    } else {
        fw_.telemetry().log("WiFi: connecting to " + options_.wifi_ssid);
        WiFi.begin(options_.wifi_ssid.c_str(), options_.wifi_password.c_str());
    }
    if (!options_.sntp_error.empty()) fw_.telemetry().log("OTA: " + options_.sntp_error);
    fw_.telemetry().log("OTA: time from SNTP " + options_.sntp_host + ":" + std::to_string(options_.sntp_port) +
                        "; counter in NVS; TLS: mbedTLS, factory CA only");
    down_since_ = millis();
}

void Esp32Ota::loop() {
    const uint32_t now = millis();
    const bool up = network_up();
    if (up != was_up_) {
        was_up_ = up;
        if (up) {
            fw_.telemetry().log(std::string("WiFi: connected, IP ") + WiFi.localIP().toString().c_str());
        } else {
            down_since_ = now;
            fw_.telemetry().log("WiFi: disconnected (reason " + std::to_string(g_last_reason.load()) + "), reconnecting");
        }
    }
    // Auto-reconnect normally brings the link back; if it has not for a while, ask again.
    if (!up && now - down_since_ >= kReconnectKickMs && now - last_kick_ >= kReconnectKickMs) {
        last_kick_ = now;
        fw_.telemetry().log("WiFi: still down after " + std::to_string((now - down_since_) / 1000) + " s, reconnecting");
        WiFi.reconnect();
    }
}

}  // namespace esp32_port
