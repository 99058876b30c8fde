#include "esp32_ota.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <Arduino.h>
#include <Preferences.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_timer.h>
#include <lwip/netdb.h>
#include <lwip/sockets.h>

#include "esp32_tls_connector.h"

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

LwipUdpExchange::~LwipUdpExchange() {
    if (fd_ >= 0) lwip_close(fd_);
}

bool LwipUdpExchange::open() {
    if (fd_ >= 0) return true;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port_);
    int gai = getaddrinfo(host_.c_str(), service.c_str(), &hints, &list);
    if (gai != 0 || list == nullptr) {
        error_ = "cannot resolve time server " + host_ + " (getaddrinfo " + std::to_string(gai) + ")";
        return false;
    }
    for (addrinfo* a = list; a && fd_ < 0; a = a->ai_next) {
        int s = lwip_socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s < 0) continue;
        if (lwip_connect(s, a->ai_addr, a->ai_addrlen) == 0) fd_ = s;
        else lwip_close(s);
    }
    freeaddrinfo(list);
    if (fd_ < 0) error_ = "cannot open a UDP socket to the time server";
    return fd_ >= 0;
}

long LwipUdpExchange::exchange(const uint8_t* req, size_t len, uint8_t* resp, size_t cap, uint32_t timeout_ms) {
    if (!open()) return -1;
    if (lwip_send(fd_, req, len, 0) != int(len)) {
        error_ = std::string("send: ") + std::strerror(errno);
        lwip_close(fd_);  // a fresh socket (and DNS answer) next time
        fd_ = -1;
        return -1;
    }
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd_, &set);
    timeval tv{};
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    int r = lwip_select(fd_ + 1, &set, nullptr, nullptr, &tv);
    if (r <= 0) {
        error_ = "time server did not answer";
        return -1;
    }
    int n = lwip_recv(fd_, resp, cap, 0);
    if (n < 0) {
        error_ = std::string("recv: ") + std::strerror(errno);
        return -1;
    }
    return long(n);
}

std::optional<int64_t> Esp32TrustedTime::unix_time() {
    if (!synced_.valid()) {
        if (network_up_ && !network_up_()) {
            error_ = "WiFi not connected";
            return std::nullopt;
        }
        if (!udp_) udp_ = std::make_unique<LwipUdpExchange>(host_, port_);
        ota::Outcome o = ota::sntp_sync(*udp_, synced_, esp_nonce, nullptr, 1000, 2);
        if (o.verdict != ota::Verdict::Updated) {
            error_ = o.detail;
            udp_.reset();
            return std::nullopt;
        }
    }
    return synced_.unix_time();
}

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

Esp32Ota::Options Esp32Ota::options_from_build() {
    Options o;
    o.wifi_ssid = SECURE_OTA_WIFI_SSID;
    o.wifi_password = SECURE_OTA_WIFI_PASSWORD;
    std::string s = SECURE_OTA_SNTP_SERVER;
    if (s.empty()) s = "pool.ntp.org";
    size_t colon = s.rfind(':');
    if (colon != std::string::npos && s.find(':') == colon) {  // host:port (not a bare IPv6)
        o.sntp_host = s.substr(0, colon);
        o.sntp_port = uint16_t(std::atoi(s.c_str() + colon + 1));
    } else {
        o.sntp_host = s;
    }
    return o;
}

bool Esp32Ota::network_up() { return WiFi.status() == WL_CONNECTED; }

Esp32Ota::Esp32Ota(secure_ota::Firmware& firmware, secure_ota::Board& board, Options options)
    : fw_(firmware), options_(std::move(options)), time_(options_.sntp_host, options_.sntp_port, &Esp32Ota::network_up) {
    ota::OtaUpdateAgent::Port port{
        [](const std::string& ca_pem, ota::TrustedTime& time) -> std::unique_ptr<ota::Connector> {
            return std::make_unique<Esp32TlsConnector>(ca_pem, time, &Esp32Ota::network_up);
        },
        time_, counters_, {}};
    agent_ = std::make_unique<ota::OtaUpdateAgent>(firmware, board, port);
}

void Esp32Ota::begin() {
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
