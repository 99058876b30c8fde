// Host port of the OTA transport: POSIX TCP + mbedTLS TLS client, as a Connector for the
// portable core (secure_ota/ota/secure_stream.h).
//  - TLS 1.2 minimum (1.3 too when the mbedTLS build has it), AEAD suites only
//    (ECDHE + AES-GCM / ChaCha20-Poly1305);
//  - trusts exactly one CA, given as PEM (the lab CA from factory data), authmode REQUIRED;
//  - hostname check: DNS names by mbedTLS (SAN dNSName), IP literals by this code against
//    the certificate's SAN iPAddress entries (mbedTLS 2.28 does not match IP SANs);
//  - certificate validity is judged by the device's TrustedTime when one is given (so the
//    workbench's time source, not the host clock, decides), else by mbedTLS's clock;
//  - connect() returns a stream only after the handshake and all verification succeeded;
//    failures map to verdicts (verify flags -> TLS_CERT_*, TLS_HOSTNAME_MISMATCH; protocol
//    version / no shared AEAD suite -> TLS_PROTOCOL; anything else TLS_HANDSHAKE_FAILED).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "secure_ota/ota/secure_stream.h"

namespace secure_ota::host {

class MbedTlsConnector : public ota::Connector {
public:
    struct Options {
        std::string ca_pem;                  // the only trusted CA
        ota::TrustedTime* time = nullptr;    // certificate validity clock; null = host clock
    };

    explicit MbedTlsConnector(Options options);
    ~MbedTlsConnector() override;

    // False when the CA PEM did not parse; connect() then answers NOT_PROVISIONED.
    bool ready() const;
    const std::string& setup_error() const { return setup_error_; }

    ota::ConnectResult connect(const std::string& host, uint16_t port, uint32_t timeout_ms) override;

    // Exposed for tests and docs: verify flags (MBEDTLS_X509_BADCERT_*) to a verdict.
    static ota::Verdict verdict_for_flags(uint32_t flags);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
    std::string setup_error_;
};

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
