// The host's sockets behind the core's Network (secure_ota/ota/network.h): POSIX TCP with a
// bounded non-blocking connect, connected UDP, poll() for every wait, EINTR retried, no
// SIGPIPE. The TLS session and the SNTP client on top are the core's, as on the ESP32.
#pragma once

#include "secure_ota/ota/network.h"

namespace secure_ota::host {

class PosixNetwork : public ota::Network {
public:
    std::unique_ptr<ota::Socket> open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                          std::string& error) override;
    std::unique_ptr<ota::Socket> open_udp(const std::string& host, uint16_t port, std::string& error) override;
    size_t ip_literal(const std::string& host, uint8_t out[16]) override;

    // The one instance the host's connectors and clocks share (it has no state).
    static PosixNetwork& instance();
};

}  // namespace secure_ota::host
