// The host TLS port against real TLS servers: `openssl s_server` on a loopback ephemeral
// port with certificates made by openssl (fixtures/gen_pki.sh).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "child_server.h"
#include "mbedtls_connector.h"
#include "test_helpers.h"

#include <mbedtls/x509.h>

using namespace secure_ota;
using namespace secure_ota::ota;
using namespace ota_test;

namespace {

// One `openssl s_server` child on an ephemeral loopback port.
class OpensslServer : public ChildServer {
public:
    // port 0: an ephemeral one; another port: that one (a server replacing another on its address).
    explicit OpensslServer(std::vector<std::string> extra, uint16_t port = 0)
        : ChildServer(arguments(std::move(extra), port), Stderr::Discard, [port](const std::string& line) {
              // "ACCEPT [::]:PORT" or "ACCEPT 0.0.0.0:PORT"; a port given on the command line: "ACCEPT"
              if (line.rfind("ACCEPT", 0) != 0) return std::optional<uint16_t>();
              size_t colon = line.rfind(':');
              if (colon == std::string::npos) return port == 0 ? std::optional<uint16_t>() : std::optional<uint16_t>(port);
              return std::optional<uint16_t>(uint16_t(std::stoi(line.substr(colon + 1))));
          }) {}

private:
    static std::vector<std::string> arguments(std::vector<std::string> extra, uint16_t port) {
        std::vector<std::string> args = {OPENSSL_EXE, "s_server", "-accept", std::to_string(port), "-www", "-naccept", "20"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
};

std::vector<std::string> leaf(const std::string& name) {
    return {"-cert", pki(name + ".pem"), "-key", pki(name + "-key.pem")};
}

class TlsTest : public ::testing::Test {
protected:
    ConnectResult connect(const std::string& ca, const std::string& host, uint16_t port, TrustedTime* t = nullptr) {
        host::MbedTlsConnector::Options o;
        o.ca_pem = read_file(pki(ca));
        o.time = t ? t : &time;
        host::MbedTlsConnector c(o);
        EXPECT_TRUE(c.ready()) << c.setup_error();
        return c.connect(host, port, 5000);
    }
    host::SystemTrustedTime time;
};

std::string http_get(SecureStream& s) {
    std::string req = "GET / HTTP/1.0\r\n\r\n";
    EXPECT_EQ(s.write(reinterpret_cast<const uint8_t*>(req.data()), req.size(), 5000).status, StreamStatus::Ok);
    std::string got;
    uint8_t buf[512];
    for (int i = 0; i < 50 && got.size() < 20; ++i) {
        StreamResult r = s.read(buf, sizeof buf, 5000);
        if (r.status != StreamStatus::Ok) break;
        got.append(reinterpret_cast<char*>(buf), r.bytes);
    }
    return got;
}

// The whole page `s_server -www` answers (its status page says "Reused" or "New" for the session).
std::string http_page(SecureStream& s) {
    std::string req = "GET / HTTP/1.0\r\n\r\n";
    EXPECT_EQ(s.write(reinterpret_cast<const uint8_t*>(req.data()), req.size(), 5000).status, StreamStatus::Ok);
    std::string got;
    uint8_t buf[1024];
    for (;;) {
        StreamResult r = s.read(buf, sizeof buf, 5000);
        if (r.status != StreamStatus::Ok) break;
        got.append(reinterpret_cast<char*>(buf), r.bytes);
    }
    return got;
}

// One connector for several connections, as the update agent keeps one for a check.
host::MbedTlsConnector::Options lab_options(TrustedTime& time) {
    host::MbedTlsConnector::Options o;
    o.ca_pem = read_file(pki("lab-ca.pem"));
    o.time = &time;
    return o;
}

}  // namespace

TEST_F(TlsTest, ResumesTheLastSessionWithTheSameServer) {
    OpensslServer server(leaf("lab-server"));
    ASSERT_NE(server.port(), 0);
    host::MbedTlsConnector c(lab_options(time));
    ConnectResult first = c.connect("127.0.0.1", server.port(), 5000);
    ASSERT_TRUE(first.stream) << first.failure.detail;
    EXPECT_FALSE(first.resumed);
    EXPECT_NE(http_page(*first.stream).find("New, "), std::string::npos);
    first.stream->close();
    for (int i = 0; i < 2; ++i) {
        ConnectResult again = c.connect("127.0.0.1", server.port(), 5000);
        ASSERT_TRUE(again.stream) << again.failure.detail;
        EXPECT_TRUE(again.resumed) << "connection " << i + 2;
        // The server says so too.
        EXPECT_NE(http_page(*again.stream).find("Reused, "), std::string::npos) << "connection " << i + 2;
        again.stream->close();
    }
    // Another address of the same server is another server to the connector: a full handshake.
    ConnectResult by_name = c.connect("localhost", server.port(), 5000);
    ASSERT_TRUE(by_name.stream) << by_name.failure.detail;
    EXPECT_FALSE(by_name.resumed);
}

TEST_F(TlsTest, AServerThatDoesNotKnowTheSessionGetsAFullHandshake) {
    host::MbedTlsConnector c(lab_options(time));
    uint16_t port = 0;
    {
        OpensslServer before(leaf("lab-server"));
        port = before.port();
        ASSERT_NE(port, 0);
        ConnectResult r = c.connect("127.0.0.1", port, 5000);
        ASSERT_TRUE(r.stream) << r.failure.detail;
        r.stream->close();
    }
    // Restarted: a new ticket key and an empty session cache.
    OpensslServer after(leaf("lab-server"), port);
    ASSERT_EQ(after.port(), port);
    ConnectResult r = c.connect("127.0.0.1", port, 5000);
    ASSERT_TRUE(r.stream) << r.failure.detail;
    EXPECT_FALSE(r.resumed);
    EXPECT_NE(http_page(*r.stream).find("New, "), std::string::npos);
}

// A rogue server that takes the lab server's address after the device made a session with the
// real one cannot ride on that session: it cannot decrypt the ticket nor knows the session ID, so
// the handshake is a full one, and its certificate is refused exactly as without a session.
TEST_F(TlsTest, ARogueServerCannotRideOnTheLabServersSession) {
    struct Impostor {
        const char* leaf;
        Verdict verdict;
    };
    for (Impostor rogue : {Impostor{"rogue-server", Verdict::TlsCertUntrusted},    // another CA
                           Impostor{"other-name", Verdict::TlsHostnameMismatch}}) {  // the lab CA, another name
        host::MbedTlsConnector c(lab_options(time));
        uint16_t port = 0;
        {
            OpensslServer lab(leaf("lab-server"));
            port = lab.port();
            ASSERT_NE(port, 0);
            for (int i = 0; i < 2; ++i) {
                ConnectResult r = c.connect("127.0.0.1", port, 5000);
                ASSERT_TRUE(r.stream) << r.failure.detail;
                EXPECT_EQ(r.resumed, i == 1);  // the session is really in use
                r.stream->close();
            }
        }
        {
            OpensslServer impostor(leaf(rogue.leaf), port);
            ASSERT_EQ(impostor.port(), port);
            ConnectResult r = c.connect("127.0.0.1", port, 5000);
            EXPECT_FALSE(r.stream) << rogue.leaf;
            EXPECT_FALSE(r.resumed) << rogue.leaf;
            EXPECT_EQ(r.failure.verdict, rogue.verdict) << rogue.leaf << ": " << r.failure.detail;
        }
        // The refusal forgot the session: the real server, back, gets a full handshake.
        OpensslServer back(leaf("lab-server"), port);
        ASSERT_EQ(back.port(), port);
        ConnectResult r = c.connect("127.0.0.1", port, 5000);
        ASSERT_TRUE(r.stream) << r.failure.detail;
        EXPECT_FALSE(r.resumed) << rogue.leaf;
    }
}

TEST_F(TlsTest, LabCaSucceedsByNameAndByIp) {
    OpensslServer server(leaf("lab-server"));
    ASSERT_NE(server.port(), 0);
    for (const char* host : {"localhost", "127.0.0.1"}) {
        ConnectResult r = connect("lab-ca.pem", host, server.port());
        ASSERT_TRUE(r.stream) << host << ": " << to_string(r.failure.verdict) << " " << r.failure.detail;
        EXPECT_EQ(http_get(*r.stream).rfind("HTTP/1.0 200", 0), 0u) << host;
        r.stream->close();
    }
}

TEST_F(TlsTest, RogueCaIsUntrusted) {
    OpensslServer server(leaf("rogue-server"));
    ASSERT_NE(server.port(), 0);
    for (const char* host : {"localhost", "127.0.0.1"}) {
        ConnectResult r = connect("lab-ca.pem", host, server.port());
        EXPECT_FALSE(r.stream) << host;
        EXPECT_EQ(r.failure.verdict, Verdict::TlsCertUntrusted) << host << ": " << r.failure.detail;
        EXPECT_NE(r.failure.detail.find("verify flags"), std::string::npos) << r.failure.detail;
    }
    // The rogue CA itself would accept it: the verdict is about trust, not the handshake.
    ConnectResult ok = connect("rogue-ca.pem", "localhost", server.port());
    EXPECT_TRUE(ok.stream) << ok.failure.detail;
}

TEST_F(TlsTest, HostnameMismatch) {
    OpensslServer lab(leaf("lab-server"));
    ASSERT_NE(lab.port(), 0);
    // The lab certificate names localhost, 127.0.0.1 and ::1, not 127.0.0.2.
    ConnectResult r = connect("lab-ca.pem", "127.0.0.2", lab.port());
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsHostnameMismatch) << r.failure.detail;
    OpensslServer other(leaf("other-name"));
    ASSERT_NE(other.port(), 0);
    for (const char* host : {"localhost", "127.0.0.1"}) {
        ConnectResult m = connect("lab-ca.pem", host, other.port());
        EXPECT_FALSE(m.stream) << host;
        EXPECT_EQ(m.failure.verdict, Verdict::TlsHostnameMismatch) << host << ": " << m.failure.detail;
    }
}

TEST_F(TlsTest, CertificateValidityUsesTheDevicesTrustedTime) {
    OpensslServer server(leaf("lab-server"));
    ASSERT_NE(server.port(), 0);
    FixedTime t;
    t.t = std::stoll(read_file(pki("lab-server.notafter"))) + 86400;
    ConnectResult r = connect("lab-ca.pem", "localhost", server.port(), &t);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsCertExpired) << r.failure.detail;
    t.t = std::stoll(read_file(pki("lab-server.notbefore"))) - 86400;
    r = connect("lab-ca.pem", "localhost", server.port(), &t);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsCertNotYetValid) << r.failure.detail;
    t.t.reset();
    r = connect("lab-ca.pem", "localhost", server.port(), &t);
    EXPECT_EQ(r.failure.verdict, Verdict::NoValidTime) << r.failure.detail;
}

TEST_F(TlsTest, RefusesTls11) {
    std::vector<std::string> args = leaf("lab-server");
    args.insert(args.end(), {"-tls1_1", "-cipher", "ALL:@SECLEVEL=0"});
    OpensslServer server(args);
    ASSERT_NE(server.port(), 0);
    ConnectResult r = connect("lab-ca.pem", "localhost", server.port());
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsProtocol) << r.failure.detail;
}

TEST_F(TlsTest, RefusesNonAeadSuites) {
    std::vector<std::string> args = leaf("lab-server");
    args.insert(args.end(), {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA"});
    OpensslServer server(args);
    ASSERT_NE(server.port(), 0);
    ConnectResult r = connect("lab-ca.pem", "localhost", server.port());
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsProtocol) << r.failure.detail;
}

TEST_F(TlsTest, HandshakeCutAndClosedPort) {
    // A TCP server that accepts and closes at once: the handshake is cut.
    int ls = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(ls, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(ls, reinterpret_cast<sockaddr*>(&a), &len);
    uint16_t port = ntohs(a.sin_port);
    std::thread t([ls] {
        int c = ::accept(ls, nullptr, nullptr);
        if (c >= 0) ::close(c);
    });
    ConnectResult r = connect("lab-ca.pem", "127.0.0.1", port);
    t.join();
    ::close(ls);
    EXPECT_FALSE(r.stream);
    EXPECT_EQ(r.failure.verdict, Verdict::TlsHandshakeFailed) << r.failure.detail;
    // Nobody listens any more.
    r = connect("lab-ca.pem", "127.0.0.1", port);
    EXPECT_EQ(r.failure.verdict, Verdict::ConnectFailed) << r.failure.detail;
}

TEST_F(TlsTest, NoCaMeansNotProvisioned) {
    host::MbedTlsConnector::Options o;
    host::MbedTlsConnector c(o);
    EXPECT_FALSE(c.ready());
    EXPECT_EQ(c.connect("localhost", 1, 1000).failure.verdict, Verdict::NotProvisioned);
}

TEST(TlsVerdicts, FlagMapping) {
    using host::MbedTlsConnector;
    EXPECT_EQ(MbedTlsConnector::verdict_for_flags(MBEDTLS_X509_BADCERT_NOT_TRUSTED), Verdict::TlsCertUntrusted);
    EXPECT_EQ(MbedTlsConnector::verdict_for_flags(MBEDTLS_X509_BADCERT_CN_MISMATCH), Verdict::TlsHostnameMismatch);
    EXPECT_EQ(MbedTlsConnector::verdict_for_flags(MBEDTLS_X509_BADCERT_EXPIRED), Verdict::TlsCertExpired);
    EXPECT_EQ(MbedTlsConnector::verdict_for_flags(MBEDTLS_X509_BADCERT_FUTURE), Verdict::TlsCertNotYetValid);
    EXPECT_EQ(MbedTlsConnector::verdict_for_flags(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_CN_MISMATCH),
              Verdict::TlsCertUntrusted);
}
