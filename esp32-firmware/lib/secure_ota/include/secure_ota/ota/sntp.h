// SNTP (RFC 4330 / RFC 5905 client mode) for the device's trusted time, step 1 of the update
// path: without a successful sync the device has no valid time and refuses to update
// (NO_VALID_TIME). On the virtual board the server is the workbench's time source, so that a
// time-shift attack can be shown. Both boards run the client of sntp_client.h over their
// sockets (not ESP-IDF's SNTP, whose port and acceptance rules are its own).
//
// A response is accepted only if it is 48+ bytes, mode 4 (server), version 3 or 4, leap
// indicator != 3 (unsynchronised), stratum 1..15 (0 = kiss-o'-death), echoes our random
// transmit timestamp as its originate timestamp (an off-path forger cannot guess it), has a
// non-zero transmit timestamp, and names a time after kMinPlausibleUnixTime.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "secure_ota/ota/manifest_verifier.h"
#include "secure_ota/ota/secure_stream.h"

namespace secure_ota::ota {

constexpr size_t kNtpPacketSize = 48;
constexpr uint64_t kNtpUnixOffset = 2208988800ull;  // seconds from 1900-01-01 to 1970-01-01

std::array<uint8_t, kNtpPacketSize> sntp_request(uint64_t nonce);

enum class SntpError { Ok, BadSize, NotServer, Unsynchronized, OriginMismatch, ZeroTransmit, Implausible };
const char* to_string(SntpError e);

struct SntpResult {
    SntpError error = SntpError::BadSize;
    int64_t unix_seconds = 0;
    uint32_t fraction = 0;  // 1/2^32 s
    uint8_t stratum = 0;
};

SntpResult sntp_parse_response(const uint8_t* data, size_t length, uint64_t nonce);

// A TrustedTime that is valid only after a successful sync, and then advances with the
// monotonic clock (so a later change of the host clock does not move it).
class SyncedTime : public TrustedTime {
public:
    explicit SyncedTime(Clock& clock) : clock_(clock) {}
    void set(int64_t unix_seconds);
    void invalidate() { valid_ = false; }
    bool valid() const { return valid_; }
    std::optional<int64_t> unix_time() override;

private:
    Clock& clock_;
    bool valid_ = false;
    int64_t base_unix_ = 0;
    uint64_t base_ms_ = 0;
};

// One request/response over UDP, supplied by the port.
class DatagramExchange {
public:
    virtual ~DatagramExchange() = default;
    // Sends `request`, waits at most `timeout_ms` for one datagram from the server.
    // Returns its length, or -1 on timeout or error.
    virtual long exchange(const uint8_t* request, size_t length, uint8_t* response, size_t capacity, uint32_t timeout_ms) = 0;
};

// Up to `attempts` request/response rounds, each with a fresh nonce from `next_nonce`.
// On success sets `time` and returns UPDATED; otherwise NO_VALID_TIME with the reason.
Outcome sntp_sync(DatagramExchange& udp, SyncedTime& time, uint64_t (*next_nonce)(void*), void* nonce_ctx,
                  uint32_t timeout_ms = 2000, int attempts = 3);

}  // namespace secure_ota::ota
