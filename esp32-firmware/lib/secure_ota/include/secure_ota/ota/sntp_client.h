// The device's SNTP client over the port's Network (ota/network.h), written once for both
// boards: SocketDatagramExchange is sntp.h's DatagramExchange over a connected UDP socket,
// and SntpTrustedTime synchronises a SyncedTime through it lazily, on the first question
// and again after a failure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "secure_ota/ota/network.h"
#include "secure_ota/ota/sntp.h"

namespace secure_ota::ota {

class SocketDatagramExchange : public DatagramExchange {
public:
    SocketDatagramExchange(Network& network, std::string host, uint16_t port)
        : network_(network), host_(std::move(host)), port_(port) {}
    // A failed send or receive drops the socket, so the next exchange opens a fresh one (and
    // resolves the name again).
    long exchange(const uint8_t* request, size_t length, uint8_t* response, size_t capacity, uint32_t timeout_ms) override;
    const std::string& last_error() const { return error_; }

private:
    Network& network_;
    std::string host_;
    uint16_t port_;
    std::unique_ptr<Socket> socket_;
    std::string error_;
};

class SntpTrustedTime : public TrustedTime {
public:
    SntpTrustedTime(Network& network, Clock& clock, std::string host, uint16_t port, uint64_t (*next_nonce)(void*))
        : network_(network), udp_(network, std::move(host), port), synced_(clock), next_nonce_(next_nonce) {}
    // Unix seconds once a sync succeeded; nullopt (and last_error()) while none has.
    std::optional<int64_t> unix_time() override;
    // The next unix_time() queries the server again; if that fails, the time of the last
    // successful sync (advanced by the monotonic clock) stays.
    void refresh() override { stale_ = true; }
    const std::string& last_error() const { return error_; }

private:
    Network& network_;
    SocketDatagramExchange udp_;
    SyncedTime synced_;
    bool stale_ = false;
    uint64_t (*next_nonce_)(void*);
    std::string error_;
};

}  // namespace secure_ota::ota
