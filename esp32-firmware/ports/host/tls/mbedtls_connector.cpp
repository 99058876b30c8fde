#include "mbedtls_connector.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "../board_environment.h"
#include "bsd_network.h"
#include "secure_ota/ota/crypto/tls_verdicts.h"

namespace secure_ota::host {

namespace {
ota::TlsConnector::Options core_options(MbedTlsConnector::Options options) {
    ota::TlsConnector::Options o;
    o.ca_pem = std::move(options.ca_pem);
    o.time = options.time;
    static SteadyClock steady;
    o.clock = &steady;  // bounds each whole read, so a trickling peer cannot hold the device
    o.rng_personalization = "secure-ota-host";
    if (!options.key_log_file.empty()) {
        o.key_log = [path = options.key_log_file](const std::string& line) {
            // One write per line with O_APPEND: several boards (or a reboot) may share the file.
            int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
            if (fd < 0) return;  // no key log: the capture then shows the records undecrypted
            std::string l = line + "\n";
            ssize_t n = ::write(fd, l.data(), l.size());
            (void)n;
            ::close(fd);
        };
    }
    return o;
}
}  // namespace

MbedTlsConnector::MbedTlsConnector(Options options)
    : ota::TlsConnector(host_network(), core_options(std::move(options))) {}

ota::Network& host_network() {
    // The host's link is always up. VESP32_LOCAL_ADDRESS (set by the workbench: 127.0.1.N) is the
    // board's own address on the lab's loopback network; unset, the system picks 127.0.0.1.
    static bsd::BsdNetwork network(nullptr, [] {
        const char* local = std::getenv(vesp32::kEnvLocalAddress);
        return std::string(local ? local : "");
    }());
    return network;
}

ota::Verdict MbedTlsConnector::verdict_for_flags(uint32_t flags) { return ota::tls::verdict_for_flags(flags); }

uint64_t SteadyClock::monotonic_ms() {
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

std::optional<int64_t> SystemTrustedTime::unix_time() { return int64_t(std::time(nullptr)); }

}  // namespace secure_ota::host
