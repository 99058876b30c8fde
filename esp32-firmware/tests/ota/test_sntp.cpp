#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "secure_ota/ota/sntp.h"
#include "test_helpers.h"
#include "udp_exchange.h"

using namespace secure_ota::ota;
using namespace ota_test;

namespace {
// A server response to `req` announcing `unix` (as NTP seconds), with optional tampering.
std::array<uint8_t, 48> response(const uint8_t* req, int64_t unix, uint8_t li_vn_mode = (0 << 6) | (4 << 3) | 4,
                                 uint8_t stratum = 2) {
    std::array<uint8_t, 48> p{};
    p[0] = li_vn_mode;
    p[1] = stratum;
    std::memcpy(&p[24], req + 40, 8);  // originate = client's transmit
    uint64_t secs = uint64_t(unix) + kNtpUnixOffset;
    uint64_t tx = (secs & 0xFFFFFFFFull) << 32 | 0x80000000u;
    for (int i = 0; i < 8; ++i) p[40 + i] = uint8_t(tx >> (56 - 8 * i));
    return p;
}
}  // namespace

TEST(Sntp, RequestAndValidResponse) {
    auto req = sntp_request(0x1122334455667788ull);
    EXPECT_EQ(req[0], 0x23);  // LI 0, VN 4, mode 3
    EXPECT_EQ(req[47], 0x88);
    auto resp = response(req.data(), 1765000000);
    SntpResult r = sntp_parse_response(resp.data(), resp.size(), 0x1122334455667788ull);
    ASSERT_EQ(r.error, SntpError::Ok);
    EXPECT_EQ(r.unix_seconds, 1765000000);
    EXPECT_EQ(r.stratum, 2);
    // Past 2036 (NTP era 1) still decodes.
    auto later = response(req.data(), 2200000000ll);
    EXPECT_EQ(sntp_parse_response(later.data(), 48, 0x1122334455667788ull).unix_seconds, 2200000000ll);
}

TEST(Sntp, RefusesForgedOrUnsynchronisedResponses) {
    const uint64_t nonce = 42;
    auto req = sntp_request(nonce);
    auto ok = response(req.data(), 1765000000);
    EXPECT_EQ(sntp_parse_response(ok.data(), 47, nonce).error, SntpError::BadSize);
    EXPECT_EQ(sntp_parse_response(ok.data(), 48, nonce + 1).error, SntpError::OriginMismatch);
    auto client_mode = response(req.data(), 1765000000, (4 << 3) | 3);
    EXPECT_EQ(sntp_parse_response(client_mode.data(), 48, nonce).error, SntpError::NotServer);
    auto unsync = response(req.data(), 1765000000, (3 << 6) | (4 << 3) | 4);
    EXPECT_EQ(sntp_parse_response(unsync.data(), 48, nonce).error, SntpError::Unsynchronized);
    auto kod = response(req.data(), 1765000000, (4 << 3) | 4, 0);
    EXPECT_EQ(sntp_parse_response(kod.data(), 48, nonce).error, SntpError::Unsynchronized);
    auto old = response(req.data(), 100);
    EXPECT_EQ(sntp_parse_response(old.data(), 48, nonce).error, SntpError::Implausible);
    auto zero = ok;
    std::memset(&zero[40], 0, 8);
    EXPECT_EQ(sntp_parse_response(zero.data(), 48, nonce).error, SntpError::ZeroTransmit);
}

TEST(Sntp, SyncedTimeFollowsTheMonotonicClock) {
    FakeClock clock;
    SyncedTime t(clock);
    EXPECT_FALSE(t.unix_time().has_value());
    t.set(1765000000);
    clock.now += 61500;
    EXPECT_EQ(*t.unix_time(), 1765000061);
    t.invalidate();
    EXPECT_FALSE(t.unix_time().has_value());
}

TEST(Sntp, SyncOverHostUdpWithARetry) {
    int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    uint16_t port = ntohs(a.sin_port);
    std::thread server([s] {
        for (int i = 0; i < 2; ++i) {
            uint8_t req[48];
            sockaddr_in from{};
            socklen_t fl = sizeof from;
            if (::recvfrom(s, req, sizeof req, 0, reinterpret_cast<sockaddr*>(&from), &fl) != 48) return;
            auto resp = response(req, 1765000000);
            if (i == 0) resp[24] ^= 1;  // first answer is a forgery: wrong originate timestamp
            ::sendto(s, resp.data(), resp.size(), 0, reinterpret_cast<sockaddr*>(&from), fl);
        }
    });
    secure_ota::host::UdpExchange udp("127.0.0.1", port);
    FakeClock clock;
    SyncedTime t(clock);
    Outcome o = sntp_sync(udp, t, secure_ota::host::random_nonce, nullptr, 2000, 3);
    server.join();
    ::close(s);
    EXPECT_EQ(o.verdict, Verdict::Updated) << o.detail;
    EXPECT_EQ(*t.unix_time(), 1765000000);
}

TEST(Sntp, NoServerMeansNoValidTime) {
    int s = ::socket(AF_INET, SOCK_DGRAM, 0);  // bound but silent
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    secure_ota::host::UdpExchange udp("127.0.0.1", ntohs(a.sin_port));
    FakeClock clock;
    SyncedTime t(clock);
    Outcome o = sntp_sync(udp, t, secure_ota::host::random_nonce, nullptr, 50, 2);
    ::close(s);
    EXPECT_EQ(o.verdict, Verdict::NoValidTime);
    EXPECT_FALSE(t.valid());
}
