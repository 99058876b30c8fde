// The virtual board's OTA transport: the core's TLS session (secure_ota/ota/crypto/
// tls_connector.h, the very code the ESP32 runs) over POSIX sockets (ports/bsd, as the ESP32).
// Certificate validity is judged by the device's TrustedTime when one is given (so the
// workbench's time source, not the host clock, decides), else by mbedTLS's clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "secure_ota/ota/crypto/tls_connector.h"

namespace secure_ota::host {

class MbedTlsConnector : public ota::TlsConnector {
public:
    struct Options {
        std::string ca_pem;                  // the only trusted CA
        ota::TrustedTime* time = nullptr;    // certificate validity clock; null = host clock
        // Appends each session's NSS key-log lines to this file (created 0600), for a capture
        // that Wireshark decrypts; "" = no key export. Never written anywhere else.
        std::string key_log_file;
    };

    explicit MbedTlsConnector(Options options);

    // Exposed for tests and docs: verify flags (MBEDTLS_X509_BADCERT_*) to a verdict.
    static ota::Verdict verdict_for_flags(uint32_t flags);
};

// The host's sockets (ports/bsd/bsd_network.h), shared by its connectors and SNTP client.
ota::Network& host_network();

// std::chrono::steady_clock as the core's Clock.
class SteadyClock : public ota::Clock {
public:
    uint64_t monotonic_ms() override;
};

// The host's own clock as TrustedTime (tests and tools; the virtual board uses its SNTP time).
class SystemTrustedTime : public ota::TrustedTime {
public:
    std::optional<int64_t> unix_time() override;
};

}  // namespace secure_ota::host
