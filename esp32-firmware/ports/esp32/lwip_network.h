// The real ESP32's sockets behind the core's Network (secure_ota/ota/network.h): lwIP TCP
// with a bounded non-blocking connect (lwIP's own SYN retries take far longer), connected
// UDP, select() for every wait. The TLS session and the SNTP client on top are the core's,
// the code the host's tests run.
#pragma once

#include "secure_ota/ota/network.h"

namespace esp32_port {

class LwipNetwork : public secure_ota::ota::Network {
public:
    // `link_up`: asked before every connection and SNTP sync (false = "WiFi not connected").
    explicit LwipNetwork(bool (*link_up)()) : link_up_(link_up) {}

    std::string unavailable() override;
    std::unique_ptr<secure_ota::ota::Socket> open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                                      std::string& error) override;
    std::unique_ptr<secure_ota::ota::Socket> open_udp(const std::string& host, uint16_t port, std::string& error) override;
    size_t ip_literal(const std::string& host, uint8_t out[16]) override;

private:
    bool (*link_up_)();
};

}  // namespace esp32_port
