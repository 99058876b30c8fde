#include "host_ota.h"

#include "secure_ota/ota/server_address.h"
#include "udp_exchange.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "../board_environment.h"

namespace secure_ota::host {

namespace {
// write + rename: the virtual board's power cut (SIGKILL of the app) leaves the old file or the
// new one, never a torn one. No fsync: the kernel keeps what a killed process wrote, exactly
// as it keeps the flash file (an mmap, never msync'ed); an fsync would only guard against a
// host crash, which the board does not model and the flash file would not survive either,
// and it cost milliseconds of every update (bench/virtual-update).
bool replace_file(const std::string& path, const std::string& text) {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return false;
    }
    return true;
}
}  // namespace

std::optional<ota::CounterRecord> FileCounterStore::load() {
    FILE* f = std::fopen(path_.c_str(), "r");
    if (!f) return std::nullopt;
    char line[128] = {};
    bool ok = std::fgets(line, sizeof line, f) != nullptr;
    std::fclose(f);
    if (!ok) return std::nullopt;
    unsigned long long counter = 0;
    char version[40] = {};
    if (std::sscanf(line, "%llu %39s", &counter, version) != 2) return std::nullopt;
    return ota::CounterRecord{uint64_t(counter), version};
}

bool FileCounterStore::store(const ota::CounterRecord& r) {
    if (r.version.empty() || r.version.size() > 39 || r.version.find_first_of(" \t\r\n") != std::string::npos) return false;
    auto cur = load();
    if (cur && r.counter < cur->counter) return false;
    return replace_file(path_, std::to_string(r.counter) + " " + r.version + "\n");
}

std::optional<ota::RolledBackImage> FileRollbackStore::load() {
    FILE* f = std::fopen(path_.c_str(), "r");
    if (!f) return std::nullopt;
    char line[512] = {};
    bool ok = std::fgets(line, sizeof line, f) != nullptr;
    std::fclose(f);
    if (!ok) return std::nullopt;
    char version[40] = {}, hex[65] = {};
    int invalid = 0, reported = 0, used = 0;
    if (std::sscanf(line, "%39s %64s %d %d %n", version, hex, &invalid, &reported, &used) != 4 || std::strlen(hex) != 64)
        return std::nullopt;
    ota::RolledBackImage r;
    r.version = version;
    for (size_t i = 0; i < 32; ++i) {
        unsigned byte = 0;
        if (std::sscanf(hex + 2 * i, "%2x", &byte) != 1) return std::nullopt;
        r.sha256[i] = uint8_t(byte);
    }
    r.marked_invalid = invalid != 0;
    r.reported = reported != 0;
    r.reason = line + used;
    while (!r.reason.empty() && (r.reason.back() == '\n' || r.reason.back() == '\r')) r.reason.pop_back();
    return r;
}

bool FileRollbackStore::store(const ota::RolledBackImage& r) {
    if (r.version.empty() || r.version.size() > 39 || r.version.find_first_of(" \t\r\n") != std::string::npos) return false;
    std::string reason = r.reason.substr(0, 400);
    for (char& c : reason)
        if (c == '\n' || c == '\r') c = ' ';
    return replace_file(path_, r.version + " " + ota::sha256_hex(r.sha256) + " " + (r.marked_invalid ? "1" : "0") + " " +
                                   (r.reported ? "1" : "0") + " " + reason + "\n");
}

std::optional<int64_t> FileTimeFloorStore::load() {
    FILE* f = std::fopen(path_.c_str(), "r");
    if (!f) return std::nullopt;
    long long t = 0;
    bool ok = std::fscanf(f, "%lld", &t) == 1;
    std::fclose(f);
    if (!ok) return std::nullopt;
    return int64_t(t);
}

bool FileTimeFloorStore::raise(int64_t t) {
    auto cur = load();
    if (cur && t <= *cur) return true;
    return replace_file(path_, std::to_string(t) + "\n");
}

std::optional<ota::FreshnessRecord> FileFreshnessStore::load() {
    FILE* f = std::fopen(path_.c_str(), "r");
    if (!f) return std::nullopt;
    long long issued = 0, expires = 0;
    bool ok = std::fscanf(f, "%lld %lld", &issued, &expires) == 2;
    std::fclose(f);
    if (!ok) return std::nullopt;
    return ota::FreshnessRecord{int64_t(issued), int64_t(expires)};
}

bool FileFreshnessStore::store(const ota::FreshnessRecord& r) {
    return replace_file(path_, std::to_string(r.issued_at) + " " + std::to_string(r.expires_at) + "\n");
}

HostTrustedTime::HostTrustedTime(std::string host, uint16_t port, std::string config_error)
    : misconfigured_(!config_error.empty()) {
    if (!host.empty() && !misconfigured_)
        sntp_ = std::make_unique<ota::SntpTrustedTime>(host_network(), clock_, std::move(host), port, random_nonce);
}

std::optional<int64_t> HostTrustedTime::unix_time() {
    if (misconfigured_) return std::nullopt;
    return sntp_ ? sntp_->unix_time() : SystemTrustedTime().unix_time();
}

HostOta::Options HostOta::options_from_environment() {
    Options o;
    if (const char* flash = std::getenv(vesp32::kEnvFlash)) {
        o.counter_file = std::string(flash) + vesp32::kCounterFileSuffix;
        o.rollback_file = std::string(flash) + vesp32::kRollbackFileSuffix;
        o.time_floor_file = std::string(flash) + vesp32::kTimeFloorFileSuffix;
        o.freshness_file = std::string(flash) + vesp32::kFreshnessFileSuffix;
    }
    if (const char* keylog = std::getenv(vesp32::kEnvTlsKeyLog)) o.tls_key_log = keylog;
    if (const char* sntp = std::getenv("VESP32_SNTP_SERVER")) {
        std::string error;
        if (auto server = ota::parse_server_address(sntp, 123, error)) {
            o.sntp_host = server->host;
            o.sntp_port = server->port;
        } else {
            o.sntp_error = "VESP32_SNTP_SERVER " + error;
        }
    }
    return o;
}

HostOta::HostOta(Firmware& firmware, Board& board, Options options)
    : options_(std::move(options)), time_(options_.sntp_host, options_.sntp_port, options_.sntp_error) {
    if (options_.counter_file.empty()) counters_ = std::make_unique<ota::RamCounterStore>();
    else counters_ = std::make_unique<FileCounterStore>(options_.counter_file);
    ota::OtaUpdateAgent::Port port{
        [this](const std::string& ca_pem, ota::TrustedTime& time) -> std::unique_ptr<ota::Connector> {
            MbedTlsConnector::Options o;
            o.ca_pem = ca_pem;
            o.time = &time;
            o.key_log_file = options_.tls_key_log;
            return std::make_unique<MbedTlsConnector>(o);
        },
        time_, *counters_, {}, nullptr};
    if (!options_.rollback_file.empty()) {
        rollbacks_ = std::make_unique<FileRollbackStore>(options_.rollback_file);
        port.rollbacks = rollbacks_.get();
    }
    if (!options_.time_floor_file.empty()) {
        time_floor_ = std::make_unique<FileTimeFloorStore>(options_.time_floor_file);
        port.time_floor = time_floor_.get();
    }
    if (!options_.freshness_file.empty()) {
        freshness_ = std::make_unique<FileFreshnessStore>(options_.freshness_file);
        port.freshness = freshness_.get();
    }
    agent_ = std::make_unique<ota::OtaUpdateAgent>(firmware, board, port);
    if (!options_.sntp_error.empty())
        firmware.telemetry().log("OTA: " + options_.sntp_error + "; no trusted time, updates end with NO_VALID_TIME");
    else if (options_.sntp_host.empty())
        firmware.telemetry().log("OTA: no VESP32_SNTP_SERVER; trusting the host clock (development only)");
}

}  // namespace secure_ota::host
