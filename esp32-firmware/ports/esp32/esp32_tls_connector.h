// The OTA transport on the real ESP32: an lwIP TCP socket under this port's own mbedTLS TLS
// session (not WiFiClientSecure), as a Connector for the portable core. The TLS policy and the
// verdict mapping are tls_verdicts.h, the same rules as the host's MbedTlsConnector, so a
// rogue certificate, a wrong name, an expired certificate, TLS 1.1 or a cut handshake give
// the same verdict code on both boards. connect() returns a stream only after the handshake
// and all verification succeeded; no request byte is written before.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "secure_ota/ota/secure_stream.h"

namespace esp32_port {

class Esp32TlsConnector : public secure_ota::ota::Connector {
public:
    // `ca_pem`: the only trusted CA (factory data). `time`: the device's TrustedTime (SNTP).
    // `network_up`: asked before every connect (false = CONNECT_FAILED "WiFi not connected").
    Esp32TlsConnector(const std::string& ca_pem, secure_ota::ota::TrustedTime& time, bool (*network_up)());
    ~Esp32TlsConnector() override;

    bool ready() const;
    const std::string& setup_error() const { return setup_error_; }

    secure_ota::ota::ConnectResult connect(const std::string& host, uint16_t port, uint32_t timeout_ms) override;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
    secure_ota::ota::TrustedTime& time_;
    bool (*network_up_)();
    std::string setup_error_;
};

}  // namespace esp32_port
