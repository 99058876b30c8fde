// Host UDP transport for SNTP (secure_ota/ota/sntp.h): a connected UDP socket, so that only
// datagrams from the configured server are received, and poll() for the timeout.
#pragma once

#include <cstdint>
#include <string>

#include "secure_ota/ota/sntp.h"

namespace secure_ota::host {

class UdpExchange : public ota::DatagramExchange {
public:
    UdpExchange(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
    ~UdpExchange() override;
    long exchange(const uint8_t* request, size_t length, uint8_t* response, size_t capacity, uint32_t timeout_ms) override;
    const std::string& last_error() const { return error_; }

private:
    bool open();
    std::string host_;
    uint16_t port_;
    int fd_ = -1;
    std::string error_;
};

// 64 random bits for the SNTP nonce (std::random_device: getrandom on Linux).
uint64_t random_nonce(void* unused = nullptr);

}  // namespace secure_ota::host
