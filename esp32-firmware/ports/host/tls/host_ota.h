// The OTA engine wired for the virtual board's apps (ports/host/app_main.cpp):
//   secure_ota::Firmware firmware(board, secure_ota::product_app());
//   secure_ota::host::HostOta ota(firmware, board, secure_ota::host::HostOta::options_from_environment());
//   firmware.set_update_agent(&ota.agent());
//   firmware.setup();
// Transport: MbedTlsConnector with the factory CA. Trusted time: SNTP from the workbench's
// time source (VESP32_SNTP_SERVER=host:port) so a time shift can be demonstrated; without
// that variable the host clock is trusted (development only, logged). The highest manifest
// counter persists in a small file next to the flash file (VESP32_FLASH + ".ota-counter"),
// replaced atomically (write + rename; see host_ota.cpp for why without fsync).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "mbedtls_connector.h"
#include "secure_ota/ota/sntp_client.h"
#include "secure_ota/ota/update_agent.h"

namespace secure_ota::host {

class FileCounterStore : public ota::CounterStore {
public:
    explicit FileCounterStore(std::string path) : path_(std::move(path)) {}
    std::optional<ota::CounterRecord> load() override;
    bool store(const ota::CounterRecord& record) override;  // refuses to go back

private:
    std::string path_;
};

// The remembered rollback in a one-line file next to the flash file (VESP32_FLASH +
// ".ota-rollback"): "VERSION SHA256HEX INVALID REPORTED REASON..." (flags 0/1), replaced
// atomically.
class FileRollbackStore : public ota::RollbackStore {
public:
    explicit FileRollbackStore(std::string path) : path_(std::move(path)) {}
    std::optional<ota::RolledBackImage> load() override;
    bool store(const ota::RolledBackImage& image) override;

private:
    std::string path_;
};

// The time floor (update_engine.h) in a one-line file next to the flash file (VESP32_FLASH +
// ".ota-time-floor"): Unix seconds, replaced atomically, never lowered.
class FileTimeFloorStore : public ota::TimeFloorStore {
public:
    explicit FileTimeFloorStore(std::string path) : path_(std::move(path)) {}
    std::optional<int64_t> load() override;
    bool raise(int64_t unix_seconds) override;

private:
    std::string path_;
};

// The latest signed freshness statement (update_engine.h) in a one-line file next to the flash
// file (VESP32_FLASH + ".ota-freshness"): "issued_at expires_at", replaced atomically.
class FileFreshnessStore : public ota::FreshnessStore {
public:
    explicit FileFreshnessStore(std::string path) : path_(std::move(path)) {}
    std::optional<ota::FreshnessRecord> load() override;
    bool store(const ota::FreshnessRecord& record) override;

private:
    std::string path_;
};

// TrustedTime for the host board: the core's SNTP client when a server is configured
// (synchronised lazily, on the first question, and again after a failure), else the host
// clock; never any time when the configured server did not parse (`config_error`).
class HostTrustedTime : public ota::TrustedTime {
public:
    HostTrustedTime(std::string sntp_host, uint16_t sntp_port, std::string config_error = {});  // empty host = host clock
    std::optional<int64_t> unix_time() override;
    void refresh() override {
        if (sntp_) sntp_->refresh();
    }

private:
    SteadyClock clock_;
    std::unique_ptr<ota::SntpTrustedTime> sntp_;
    bool misconfigured_;
};

class HostOta {
public:
    struct Options {
        std::string counter_file;  // persistent counter; "" = RAM only (tests)
        std::string rollback_file; // remembered rollback; "" = RAM only (tests)
        std::string time_floor_file; // time floor; "" = RAM only (tests)
        std::string freshness_file;  // latest signed freshness statement; "" = RAM only (tests)
        std::string sntp_host;     // "" = trust the host clock
        uint16_t sntp_port = 123;
        std::string sntp_error;    // VESP32_SNTP_SERVER did not parse: no time, this reason logged
        std::string tls_key_log;   // VESP32_TLS_KEYLOG: the session's key log file; "" = none
    };
    // From VESP32_FLASH, VESP32_SNTP_SERVER ("host:port" or "host") and VESP32_TLS_KEYLOG.
    static Options options_from_environment();

    HostOta(Firmware& firmware, Board& board, Options options);
    UpdateAgent& agent() { return *agent_; }
    ota::OtaUpdateAgent& ota_agent() { return *agent_; }

private:
    Options options_;
    HostTrustedTime time_;
    std::unique_ptr<ota::CounterStore> counters_;
    std::unique_ptr<ota::RollbackStore> rollbacks_;
    std::unique_ptr<ota::TimeFloorStore> time_floor_;
    std::unique_ptr<ota::FreshnessStore> freshness_;
    std::unique_ptr<ota::OtaUpdateAgent> agent_;
};

}  // namespace secure_ota::host
