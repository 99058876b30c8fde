#include "secure_ota/ota/sntp_client.h"

namespace secure_ota::ota {

namespace {
constexpr uint32_t kSntpTimeoutMs = 1000;
constexpr int kSntpAttempts = 2;
}  // namespace

long SocketDatagramExchange::exchange(const uint8_t* request, size_t length, uint8_t* response, size_t capacity,
                                      uint32_t timeout_ms) {
    if (!socket_) {
        std::string why;
        socket_ = network_.open_udp(host_, port_, why);
        if (!socket_) {
            error_ = "time server " + host_ + ":" + std::to_string(port_) + ": " + why;
            return -1;
        }
    }
    StreamResult sent = socket_->send(request, length, timeout_ms);
    if (sent.status != StreamStatus::Ok || sent.bytes != length) {
        error_ = "cannot send to the time server " + host_ + ":" + std::to_string(port_);
        socket_.reset();
        return -1;
    }
    StreamResult got = socket_->receive(response, capacity, timeout_ms);
    if (got.status == StreamStatus::Ok) return long(got.bytes);
    if (got.status == StreamStatus::Timeout) {
        error_ = "time server " + host_ + ":" + std::to_string(port_) + " did not answer";
    } else {
        error_ = "cannot receive from the time server " + host_ + ":" + std::to_string(port_);
        socket_.reset();
    }
    return -1;
}

std::optional<int64_t> SntpTrustedTime::unix_time() {
    if (!synced_.valid() || stale_) {
        stale_ = false;
        std::string down = network_.unavailable();
        if (!down.empty()) {
            error_ = down;
            if (!synced_.valid()) return std::nullopt;
        } else {
            Outcome o = sntp_sync(udp_, synced_, next_nonce_, nullptr, kSntpTimeoutMs, kSntpAttempts);
            if (o.verdict != Verdict::Updated) {
                error_ = o.detail;
                if (!synced_.valid()) return std::nullopt;
            }
        }
    }
    return synced_.unix_time();
}

}  // namespace secure_ota::ota
