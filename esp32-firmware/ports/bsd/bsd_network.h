// BSD sockets behind the core's Network (secure_ota/ota/network.h), for both boards: the
// host's POSIX sockets and, on the ESP32, lwIP's, which ESP-IDF exposes under the same names
// (sys/socket.h, netdb.h, poll() through its VFS). TCP with a bounded non-blocking connect
// (lwIP's own SYN retries take far longer), connected UDP, poll() for every wait, EINTR
// retried, no SIGPIPE. The TLS session and the SNTP client on top are the core's.
#pragma once

#include <string>

#include "secure_ota/ota/network.h"

namespace secure_ota::bsd {

class BsdNetwork : public ota::Network {
public:
    // `link_up`: asked before every connection and SNTP sync (false = "WiFi not connected");
    // null = always up (the host).
    explicit BsdNetwork(bool (*link_up)() = nullptr) : link_up_(link_up) {}
    // `local_address`: an IPv4 literal every socket binds to before it connects (the virtual
    // board's own loopback address, 127.0.1.N, so that the lab tells boards apart as a Wi-Fi
    // network does); empty = the system's choice, as on a real board.
    BsdNetwork(bool (*link_up)(), std::string local_address) : link_up_(link_up), local_(std::move(local_address)) {}

    std::string unavailable() override;
    std::unique_ptr<ota::Socket> open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                          std::string& error) override;
    std::unique_ptr<ota::Socket> open_udp(const std::string& host, uint16_t port, std::string& error) override;
    size_t ip_literal(const std::string& host, uint8_t out[16]) override;

private:
    bool (*link_up_)();
    std::string local_;
};

}  // namespace secure_ota::bsd
