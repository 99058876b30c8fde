// Each defence profile (secure_ota/defence_profile.h) really lacks its check, and keeps the
// others: one binary per profile (defence_profile_tests_<profile>), the same test source, each
// case asking the profile it was linked with what to expect. The secure build must refuse every
// case; a weakened build must let through exactly the cases of its missing checks.
#include <gtest/gtest.h>

#include "child_server.h"
#include "engine_fixture.h"
#include "mbedtls_connector.h"
#include "secure_ota/defence_profile.h"

using namespace secure_ota;
using namespace secure_ota::ota;
using namespace ota_test;

const char* defence_profile_expected_name();  // defence_profile_expected.cpp, per binary

// Installed and booting, whatever the profile's rollback (expect_updated also wants PENDING_VERIFY).
#define EXPECT_INSTALLED(update_result)                                                                         \
    do {                                                                                                       \
        UpdateResult r_ = (update_result);                                                                     \
        ASSERT_EQ(r_.outcome.verdict, Verdict::Updated) << to_string(r_.outcome.verdict) << ": " << r_.outcome.detail; \
        boot();                                                                                                \
        EXPECT_EQ(running_version, "2.0.0");                                                                   \
        EXPECT_EQ(ops->running_state(), defence_profile().rollback ? OtaImgState::PendingVerify : OtaImgState::Valid); \
    } while (0)

namespace {

const DefenceProfile& P = defence_profile();


}  // namespace

TEST(DefenceProfile, IsTheOneThisBinaryWasBuiltWith) {
    EXPECT_STREQ(P.name, defence_profile_expected_name());
    EXPECT_EQ(P.weakened(), std::string(defence_profile_expected_name()) != "secure");
    EXPECT_EQ(P.missing().empty(), !P.weakened());
    if (P.weakened()) {
        EXPECT_FALSE(P.lcd_line().empty());
    }
}

TEST_F(EngineTest, ProfileSignature) {
    offer(make_image("2.0.0", 1));
    server.manifest = make_jws(header_json(), [&] {
        ManifestFields f;
        f.strings["url"] = server.image_path;
        auto d = secure_ota::crypto::Sha256::of(server.image.data(), server.image.size());
        f.strings["sha256"] = hex(d.data(), d.size());
        f.ints["size"] = int64_t(server.image.size());
        return f.to_json();
    }(), pki("other-key.pem"));
    if (P.signature) expect_refused_and_safe(update(), Verdict::ManifestSignatureInvalid);
    else EXPECT_INSTALLED(update());
}

TEST_F(EngineTest, ProfileHash) {
    auto other = make_image("2.0.0", 1, 20001);
    auto d = secure_ota::crypto::Sha256::of(other.data(), other.size());
    ManifestFields f;
    f.strings["sha256"] = hex(d.data(), d.size());  // signed, but for another image
    offer(make_image("2.0.0", 1), f);
    if (P.hash) expect_refused_and_safe(update(), Verdict::HashMismatch);
    else EXPECT_INSTALLED(update());
}

TEST_F(EngineTest, ProfileSize) {
    offer(make_image("2.0.0", 1));
    server.image.insert(server.image.end(), 4096, 0x5A);  // the signed image, then 4 KiB more
    if (P.size_check) expect_refused_and_safe(update(), Verdict::SizeMismatch);
    else if (P.hash) expect_refused_and_safe(update(), Verdict::HashMismatch);  // the hash still covers every byte
    // naive: OtaOps::end() still compares the bytes written with the image's own length (its format check)
    else expect_refused_and_safe(update(), Verdict::ImageInvalid);
}

TEST_F(EngineTest, ProfileAntiReplay) {
    ASSERT_TRUE(counters.store(CounterRecord{7, "2.0.0"}));
    ManifestFields f;
    f.ints["counter"] = 6;
    offer(make_image("2.0.0", 1), f);
    if (P.anti_replay) expect_refused_and_safe(update(), Verdict::ManifestReplayed);
    else EXPECT_INSTALLED(update());
}

TEST_F(EngineTest, ProfileAntiDowngrade) {
    ManifestFields f;
    f.strings["version"] = "0.9.0";
    offer(make_image("0.9.0", 1), f, "0.9.0");
    if (P.anti_downgrade) {
        expect_refused_and_safe(update(), Verdict::DowngradeRefused);
    } else {
        UpdateResult r = update();
        ASSERT_EQ(r.outcome.verdict, Verdict::Updated) << r.outcome.detail;
        boot();
        EXPECT_EQ(running_version, "0.9.0");
    }
}

TEST_F(EngineTest, ProfileTimeFloor) {
    RamTimeFloorStore floor;
    ASSERT_TRUE(floor.raise(1764999000));
    time_floor = &floor;
    time.t = 1764999000 - 3600;  // an hour below the floor, still before the manifest expires
    if (P.time_floor) expect_refused_and_safe(update(), Verdict::NoValidTime);
    else EXPECT_INSTALLED(update());
}

TEST_F(EngineTest, ProfileRollback) {
    UpdateResult r = update();
    ASSERT_EQ(r.outcome.verdict, Verdict::Updated) << r.outcome.detail;
    boot();
    EXPECT_EQ(running_version, "2.0.0");
    // Secure: on probation until it confirms itself. Without rollback: trusted before it ran.
    EXPECT_EQ(ops->running_state(), P.rollback ? OtaImgState::PendingVerify : OtaImgState::Valid);
}

namespace {
class RogueTlsServer : public ChildServer {
public:
    RogueTlsServer()
        : ChildServer({OPENSSL_EXE, "s_server", "-accept", "0", "-www", "-naccept", "5", "-cert", pki("rogue-server.pem"),
                       "-key", pki("rogue-server-key.pem")},
                      Stderr::Discard, [](const std::string& line) {
                          return line.rfind("ACCEPT", 0) == 0
                                     ? std::optional<uint16_t>(uint16_t(std::stoi(line.substr(line.rfind(':') + 1))))
                                     : std::nullopt;
                      }) {}
};
}  // namespace

TEST(DefenceProfileTls, Pinning) {
    RogueTlsServer server;
    ASSERT_NE(server.port(), 0);
    host::SystemTrustedTime time;
    host::MbedTlsConnector::Options o;
    o.ca_pem = read_file(pki("lab-ca.pem"));
    o.time = &time;
    host::MbedTlsConnector c(o);
    ASSERT_TRUE(c.ready()) << c.setup_error();
    ConnectResult r = c.connect("localhost", server.port(), 5000);
    if (P.pinning) {
        EXPECT_FALSE(r.stream);
        EXPECT_EQ(r.failure.verdict, Verdict::TlsCertUntrusted) << r.failure.detail;
    } else {
        ASSERT_TRUE(r.stream) << "setInsecure(): a rogue CA's certificate is accepted: " << r.failure.detail;
        r.stream->close();
    }
}
