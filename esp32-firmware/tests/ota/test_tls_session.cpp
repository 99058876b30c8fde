// The pieces of the core's network code that both boards share and that the real-server
// suites (test_tls.cpp, test_sntp.cpp) cannot reach on purpose: reading the server's alert
// from the records, parsing "host:port", and a link that is down.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mbedtls_connector.h"
#include "bsd_network.h"
#include "host_ota.h"
#include "secure_ota/ota/crypto/tls_connector.h"
#include "secure_ota/ota/crypto/tls_verdicts.h"
#include "secure_ota/ota/server_address.h"
#include "secure_ota/ota/sntp_client.h"
#include "test_helpers.h"

using namespace secure_ota;
using namespace secure_ota::ota;

namespace {

// TLS records: type, version 3.3, length, body.
std::vector<uint8_t> record(uint8_t type, std::vector<uint8_t> body) {
    std::vector<uint8_t> r = {type, 3, 3, uint8_t(body.size() >> 8), uint8_t(body.size())};
    r.insert(r.end(), body.begin(), body.end());
    return r;
}

// The sockets with the link switched off, as the ESP32 reports a WiFi that is down.
bool link_down() { return false; }

}  // namespace

TEST(AlertWatch, ReadsAPlaintextAlertEvenWhenSplitAcrossReads) {
    tls::AlertWatch w;
    EXPECT_EQ(w.last_alert(), -1);
    std::vector<uint8_t> bytes = record(22, std::vector<uint8_t>(40, 0x11));  // a handshake record
    auto alert = record(21, {2, 70});                                           // fatal protocol_version
    bytes.insert(bytes.end(), alert.begin(), alert.end());
    for (uint8_t b : bytes) w.received(&b, 1);  // mbedTLS may hand the record over in any pieces
    EXPECT_EQ(w.last_alert(), 70);
}

TEST(AlertWatch, IgnoresEverythingAfterChangeCipherSpec) {
    tls::AlertWatch w;
    std::vector<uint8_t> bytes = record(20, {1});
    auto encrypted_alert = record(21, {0x9c, 0x28, 0x00, 0x11});  // ciphertext, not an alert code
    bytes.insert(bytes.end(), encrypted_alert.begin(), encrypted_alert.end());
    w.received(bytes.data(), bytes.size());
    EXPECT_EQ(w.last_alert(), -1);
}

TEST(ServerAddress, ParsesNamesAddressesAndPorts) {
    struct Case {
        const char* text;
        const char* host;
        uint16_t port;
    };
    for (const Case& c : {Case{"192.168.1.10:1230", "192.168.1.10", 1230}, Case{"pool.ntp.org", "pool.ntp.org", 123},
                          Case{"::1", "::1", 123},  // a bare IPv6 literal has no port
                          Case{"[fe80::1]:8123", "fe80::1", 8123}}) {
        std::string error;
        auto hp = parse_server_address(c.text, 123, error);
        ASSERT_TRUE(hp) << c.text << ": " << error;
        EXPECT_EQ(hp->host, c.host) << c.text;
        EXPECT_EQ(hp->port, c.port) << c.text;
    }
}

TEST(ServerAddress, RefusesWhatIsNotAServerAndSaysWhy) {
    for (const char* bad : {"host:", "host:0", "host:65536", "host:12a", ":123", "", "[::1", "[::1]x"}) {
        std::string error;
        EXPECT_FALSE(parse_server_address(bad, 123, error)) << bad;
        EXPECT_NE(error.find(std::string("'") + bad + "'"), std::string::npos) << error;
    }
}

TEST(TlsConnector, ALinkThatIsDownIsConnectFailedBeforeAnySocket) {
    bsd::BsdNetwork down(link_down);
    TlsConnector::Options o;
    o.ca_pem = ota_test::read_file(ota_test::pki("lab-ca.pem"));
    TlsConnector c(down, o);
    ASSERT_TRUE(c.ready()) << c.setup_error();
    ConnectResult r = c.connect("127.0.0.1", 9, 1000);
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.failure.verdict, Verdict::ConnectFailed);
    EXPECT_EQ(r.failure.detail, "WiFi not connected");
}

// The virtual board's own loopback address (VESP32_LOCAL_ADDRESS): the server sees 127.0.1.N, not
// 127.0.0.1, so a lab of many boards is told apart as boards on a Wi-Fi network are.
TEST(BsdNetwork, ALocalAddressIsWhereTheConnectionComesFrom) {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    socklen_t len = sizeof at;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &len);
    uint16_t port = ntohs(at.sin_port);

    bsd::BsdNetwork own(nullptr, "127.0.1.7");
    std::string error;
    auto socket = own.open_tcp("127.0.0.1", port, 2000, error);
    ASSERT_TRUE(socket) << error;
    sockaddr_in peer{};
    len = sizeof peer;
    int accepted = ::accept(listener, reinterpret_cast<sockaddr*>(&peer), &len);
    ASSERT_GE(accepted, 0);
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
    EXPECT_STREQ(text, "127.0.1.7");
    ::close(accepted);

    bsd::BsdNetwork bad(nullptr, "not-an-address");
    EXPECT_FALSE(bad.open_tcp("127.0.0.1", port, 2000, error));
    EXPECT_NE(error.find("not-an-address"), std::string::npos) << error;
    ::close(listener);
}

TEST(SntpTrustedTime, NoTimeWhileTheLinkIsDown) {
    bsd::BsdNetwork down(link_down);
    host::SteadyClock clock;
    SntpTrustedTime t(down, clock, "127.0.0.1", 123, [](void*) -> uint64_t { return 42; });
    EXPECT_FALSE(t.unix_time());
    EXPECT_EQ(t.last_error(), "WiFi not connected");
}

TEST(HostOtaOptions, AnSntpServerThatDoesNotParseMeansNoTimeAndSaysWhy) {
    ::setenv("VESP32_SNTP_SERVER", "timehost:99999", 1);
    host::HostOta::Options o = host::HostOta::options_from_environment();
    ::unsetenv("VESP32_SNTP_SERVER");
    EXPECT_NE(o.sntp_error.find("'timehost:99999'"), std::string::npos) << o.sntp_error;
    EXPECT_NE(o.sntp_error.find("1 to 65535"), std::string::npos) << o.sntp_error;
    host::HostTrustedTime t(o.sntp_host, o.sntp_port, o.sntp_error);
    EXPECT_FALSE(t.unix_time()) << "a misconfigured time source must not fall back to the host clock";
}
