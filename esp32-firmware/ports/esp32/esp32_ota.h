// The secure OTA engine wired for the real ESP32, as ports/host/tls/host_ota.h wires it for
// the virtual board. All logic is the portable core's OtaUpdateAgent / UpdateEngine; this
// file only supplies what differs per board:
//   - transport: the core's TlsConnector (the mbedTLS session the host's tests run, factory
//     CA) over lwIP's BSD sockets (ports/bsd, the code the host runs too);
//   - trusted time: the core's SntpTrustedTime over an lwIP UDP socket, synchronised lazily
//     on the first question and again after a failure, as on the host;
//   - the highest manifest counter: NVS (namespace "secure_ota", key "ota_counter");
//   - WiFi in station mode with reconnect; state changes are logged on the telemetry port
//     from loop() (never from the WiFi event task, so telemetry lines are never interleaved).
// In main.cpp:
//   esp32_port::Esp32Ota ota(firmware, board, esp32_port::Esp32Ota::options_from_build());
//   firmware.set_update_agent(&ota.agent());  firmware.setup();  ota.begin();
//   loop(): firmware.loop(); ota.loop();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bsd_network.h"
#include "secure_ota/ota/sntp_client.h"
#include "secure_ota/ota/update_agent.h"

namespace esp32_port {

// esp_timer_get_time() (microseconds since boot, 64 bit) as the core's monotonic clock.
class EspTimerClock : public secure_ota::ota::Clock {
public:
    uint64_t monotonic_ms() override;
};

// The highest accepted manifest counter and its version, as one NVS blob. NVS replaces an
// entry only after the new one is completely written (power-loss safe by design); store()
// refuses to go back, like FlashCounterStore and the host's FileCounterStore.
class NvsCounterStore : public secure_ota::ota::CounterStore {
public:
    std::optional<secure_ota::ota::CounterRecord> load() override;
    bool store(const secure_ota::ota::CounterRecord& record) override;
};

// The time floor (update_engine.h) as one NVS i64: the latest trusted time the device has seen.
class NvsTimeFloorStore : public secure_ota::ota::TimeFloorStore {
public:
    std::optional<int64_t> load() override;
    bool raise(int64_t unix_seconds) override;  // never lowers it
};

// The latest signed freshness statement (update_engine.h) as one NVS blob {issued_at, expires_at}.
class NvsFreshnessStore : public secure_ota::ota::FreshnessStore {
public:
    std::optional<secure_ota::ota::FreshnessRecord> load() override;
    bool store(const secure_ota::ota::FreshnessRecord& record) override;
};

class Esp32Ota {
public:
    struct Options {
        std::string wifi_ssid;      // "" = the credentials the WiFi driver stored in NVS before
        std::string wifi_password;
        std::string sntp_host;      // the workbench's time source, or a public NTP server
        uint16_t sntp_port = 123;
        std::string sntp_error;     // SECURE_OTA_SNTP_SERVER did not parse
    };
    // From the build flags SECURE_OTA_WIFI_SSID, SECURE_OTA_WIFI_PASSWORD and
    // SECURE_OTA_SNTP_SERVER ("host", "host:port"; default pool.ntp.org:123). A server that
    // does not parse is a build error (static_assert cannot see it): it is logged by begin()
    // and the default server is used.
    static Options options_from_build();

    Esp32Ota(secure_ota::Firmware& firmware, secure_ota::Board& board, Options options);
    void begin();  // starts WiFi (after firmware.setup(), so the boot report comes first)
    void loop();   // WiFi housekeeping: logs state changes, kicks a stuck reconnect

    secure_ota::UpdateAgent& agent() { return *agent_; }
    secure_ota::ota::OtaUpdateAgent& ota_agent() { return *agent_; }

    static bool network_up();

private:
    secure_ota::Firmware& fw_;
    Options options_;
    secure_ota::bsd::BsdNetwork network_;
    EspTimerClock clock_;
    secure_ota::ota::SntpTrustedTime time_;
    NvsCounterStore counters_;
    NvsTimeFloorStore time_floor_;
    NvsFreshnessStore freshness_;
    std::unique_ptr<secure_ota::ota::OtaUpdateAgent> agent_;
    bool was_up_ = false;
    uint32_t down_since_ = 0;
    uint32_t last_kick_ = 0;
};

}  // namespace esp32_port
