// Host UDP transport for SNTP (secure_ota/ota/sntp.h): the core's SocketDatagramExchange
// (the ESP32 runs the same) over POSIX sockets, and the host's source of SNTP nonces.
#pragma once

#include <cstdint>
#include <string>

#include "mbedtls_connector.h"
#include "secure_ota/ota/sntp_client.h"

namespace secure_ota::host {

class UdpExchange : public ota::SocketDatagramExchange {
public:
    UdpExchange(std::string host, uint16_t port) : SocketDatagramExchange(host_network(), std::move(host), port) {}
};

// 64 random bits for the SNTP nonce (std::random_device: getrandom on Linux).
uint64_t random_nonce(void* unused = nullptr);

}  // namespace secure_ota::host
