#include "secure_ota/ota/sntp.h"

#include <string>

namespace secure_ota::ota {
namespace {
uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }
uint64_t be64(const uint8_t* p) { return uint64_t(be32(p)) << 32 | be32(p + 4); }
}  // namespace

const char* to_string(SntpError e) {
    switch (e) {
        case SntpError::Ok: return "ok";
        case SntpError::BadSize: return "response shorter than 48 bytes";
        case SntpError::NotServer: return "not a server-mode NTP response";
        case SntpError::Unsynchronized: return "server unsynchronised (leap 3, stratum 0 or > 15)";
        case SntpError::OriginMismatch: return "originate timestamp does not echo our request";
        case SntpError::ZeroTransmit: return "zero transmit timestamp";
        case SntpError::Implausible: return "time before the firmware's plausibility floor";
    }
    return "unknown";
}

std::array<uint8_t, kNtpPacketSize> sntp_request(uint64_t nonce) {
    std::array<uint8_t, kNtpPacketSize> p{};
    p[0] = (0 << 6) | (4 << 3) | 3;  // LI 0, version 4, mode 3 (client)
    for (int i = 0; i < 8; ++i) p[40 + i] = uint8_t(nonce >> (56 - 8 * i));  // transmit timestamp
    return p;
}

SntpResult sntp_parse_response(const uint8_t* d, size_t n, uint64_t nonce) {
    SntpResult r;
    if (d == nullptr || n < kNtpPacketSize) return r;
    uint8_t li = d[0] >> 6, vn = (d[0] >> 3) & 7, mode = d[0] & 7;
    r.stratum = d[1];
    if (mode != 4 || vn < 3 || vn > 4) {
        r.error = SntpError::NotServer;
        return r;
    }
    if (li == 3 || r.stratum == 0 || r.stratum > 15) {
        r.error = SntpError::Unsynchronized;
        return r;
    }
    if (be64(d + 24) != nonce) {
        r.error = SntpError::OriginMismatch;
        return r;
    }
    uint64_t tx = be64(d + 40);
    if (tx == 0) {
        r.error = SntpError::ZeroTransmit;
        return r;
    }
    // NTP era 0 ends in 2036; timestamps below the 1970 offset are read as era 1.
    uint64_t secs = tx >> 32;
    int64_t unix = secs >= kNtpUnixOffset ? int64_t(secs - kNtpUnixOffset) : int64_t(secs + (1ull << 32) - kNtpUnixOffset);
    if (unix < kMinPlausibleUnixTime) {
        r.error = SntpError::Implausible;
        return r;
    }
    r.unix_seconds = unix;
    r.fraction = uint32_t(tx);
    r.error = SntpError::Ok;
    return r;
}

void SyncedTime::set(int64_t unix_seconds) {
    base_unix_ = unix_seconds;
    base_ms_ = clock_.monotonic_ms();
    valid_ = true;
}

std::optional<int64_t> SyncedTime::unix_time() {
    if (!valid_) return std::nullopt;
    return base_unix_ + int64_t((clock_.monotonic_ms() - base_ms_) / 1000);
}

Outcome sntp_sync(DatagramExchange& udp, SyncedTime& time, uint64_t (*next_nonce)(void*), void* ctx, uint32_t timeout_ms,
                  int attempts) {
    std::string why = "no attempt";
    for (int i = 0; i < attempts; ++i) {
        uint64_t nonce = next_nonce(ctx);
        auto req = sntp_request(nonce);
        uint8_t resp[128];
        long n = udp.exchange(req.data(), req.size(), resp, sizeof resp, timeout_ms);
        if (n < 0) {
            why = "no answer from the time server";
            continue;
        }
        SntpResult r = sntp_parse_response(resp, size_t(n), nonce);
        if (r.error == SntpError::Ok) {
            time.set(r.unix_seconds);
            return Outcome::of(Verdict::Updated, "time synchronised: " + std::to_string(r.unix_seconds));
        }
        why = to_string(r.error);
    }
    return Outcome::of(Verdict::NoValidTime, "SNTP failed: " + why);
}

}  // namespace secure_ota::ota
