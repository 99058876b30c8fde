// The signed "nothing newer" statement (freshness_statement.h), with statements signed by the
// lab's key through the openssl CLI, and by another key for forgeries.
#include <gtest/gtest.h>

#include "secure_ota/ota/freshness_statement.h"
#include "secure_ota/ota/manifest_verifier.h"
#include "engine_fixture.h"
#include "test_helpers.h"

using namespace secure_ota::ota;
using namespace ota_test;

namespace {

struct StatementFields {
    std::map<std::string, std::string> strings{{"product", "shop-display"}, {"device", "dev-1"}, {"current", "1.0.0"}};
    std::map<std::string, int64_t> ints{{"v", 1}, {"issued_at", 1764999000}, {"expires_at", 1765085400}};
    std::string to_json() const {
        std::string j = "{";
        for (const auto& [k, v] : ints) j += (j.size() > 1 ? "," : "") + ("\"" + k + "\":" + std::to_string(v));
        for (const auto& [k, v] : strings) j += (j.size() > 1 ? "," : "") + ("\"" + k + "\":\"" + v + "\"");
        return j + "}";
    }
};

std::string statement_header(const std::string& typ = kFreshnessTyp) {
    return "{\"alg\":\"ES256\",\"typ\":\"" + typ + "\",\"kid\":\"" + signing_kid() + "\"}";
}

}  // namespace

class FreshnessTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string err;
        key = secure_ota::ota::crypto::EcdsaP256PublicKey::from_pem(read_file(pki("signing-pub.pem")), err);
        ASSERT_TRUE(key) << err;
        dev.product = "shop-display";
        dev.device_id = "dev-1";
        dev.running_version = "1.0.0";
        dev.now = 1765000000;
    }
    FreshnessResult check(const StatementFields& f, const std::string& key_file = pki("signing-key.pem")) {
        return verify_freshness_statement(make_jws(statement_header(), f.to_json(), key_file), *key, dev);
    }
    Verdict verdict(const StatementFields& f) { return check(f).outcome.verdict; }

    std::unique_ptr<secure_ota::ota::crypto::EcdsaP256PublicKey> key;
    FreshnessContext dev;
};

TEST_F(FreshnessTest, ASignedNothingNewerIsAcceptedAsNoUpdate) {
    FreshnessResult r = check(StatementFields{});
    ASSERT_TRUE(r.accepted()) << to_string(r.outcome.verdict) << ": " << r.outcome.detail;
    EXPECT_EQ(r.outcome.verdict, Verdict::NoUpdate);
    EXPECT_EQ(r.statement->current, "1.0.0");
    EXPECT_EQ(r.statement->issued_at, 1764999000);
    EXPECT_EQ(r.statement->expires_at, 1765085400);
}

TEST_F(FreshnessTest, AForgedStatementIsRefusedBeforeItsPayloadIsRead) {
    StatementFields f;
    f.strings["product"] = "kiosk";  // would be WRONG_PRODUCT if the payload were read first
    FreshnessResult r = check(f, pki("other-key.pem"));
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestSignatureInvalid) << r.outcome.detail;
    EXPECT_FALSE(r.statement);
    // a good signature with one payload byte changed
    std::string jws = make_jws(statement_header(), StatementFields{}.to_json());
    size_t d1 = jws.find('.'), d2 = jws.find('.', d1 + 1);
    StatementFields later;
    later.ints["expires_at"] = 1765090000;
    std::string other_payload = make_jws(statement_header(), later.to_json());
    size_t o1 = other_payload.find('.'), o2 = other_payload.find('.', o1 + 1);
    std::string tampered = jws.substr(0, d1 + 1) + other_payload.substr(o1 + 1, o2 - o1 - 1) + jws.substr(d2);
    EXPECT_EQ(verify_freshness_statement(tampered, *key, dev).outcome.verdict, Verdict::ManifestSignatureInvalid);
}

TEST_F(FreshnessTest, AManifestIsNotAStatementAndAStatementIsNotAManifest) {
    // typ keeps the two apart even though the same key signs both
    std::string as_manifest = make_jws(header_json(), StatementFields{}.to_json());
    EXPECT_EQ(verify_freshness_statement(as_manifest, *key, dev).outcome.verdict, Verdict::ManifestInvalid);
    std::string statement = make_jws(statement_header(), StatementFields{}.to_json());
    DeviceContext mdev;
    mdev.product = "shop-display";
    mdev.device_id = "dev-1";
    mdev.running_version = *SemVer::parse("1.0.0");
    mdev.now = 1765000000;
    ManifestResult m = verify_manifest(statement, *key, mdev);
    EXPECT_EQ(m.outcome.verdict, Verdict::ManifestInvalid);
    EXPECT_NE(m.outcome.detail.find("typ"), std::string::npos) << m.outcome.detail;
}

TEST_F(FreshnessTest, TheStatementMustBeThisDevicesAboutItsVersion) {
    StatementFields f;
    f.strings["product"] = "kiosk";
    EXPECT_EQ(verdict(f), Verdict::ManifestWrongProduct);
    f = {};
    f.strings["device"] = "dev-2";
    EXPECT_EQ(verdict(f), Verdict::ManifestWrongDevice);
    f = {};
    f.strings["current"] = "0.9.0";  // a statement made for an older state of this device
    FreshnessResult r = check(f);
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestInvalid);
    EXPECT_NE(r.outcome.detail.find("\"current\""), std::string::npos) << r.outcome.detail;
}

TEST_F(FreshnessTest, ExpiredNotYetValidAndOlderThanTheLatestAreRefused) {
    StatementFields f;
    f.ints["issued_at"] = 1764900000;
    f.ints["expires_at"] = 1765000000;  // expired exactly now
    EXPECT_EQ(verdict(f), Verdict::ManifestExpired);
    f = {};
    f.ints["issued_at"] = 1765000000 + kClockSkewSeconds + 1;
    f.ints["expires_at"] = 1765050000;
    EXPECT_EQ(verdict(f), Verdict::ManifestNotYetValid);
    dev.latest_issued_at = 1764999500;
    EXPECT_EQ(verdict(StatementFields{}), Verdict::ManifestReplayed);
    dev.latest_issued_at = 1764999000;  // the same statement again, within its validity
    EXPECT_EQ(verdict(StatementFields{}), Verdict::NoUpdate);
    dev.now.reset();
    EXPECT_EQ(verdict(StatementFields{}), Verdict::NoValidTime);
}

TEST_F(FreshnessTest, TheGrammarIsStrict) {
    StatementFields f;
    f.strings["counter"] = "x";
    FreshnessResult r = check(f);
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestInvalid);
    EXPECT_NE(r.outcome.detail.find("\"counter\""), std::string::npos) << r.outcome.detail;
    for (const char* missing : {"product", "device", "current"}) {
        f = {};
        f.strings.erase(missing);
        r = check(f);
        EXPECT_EQ(r.outcome.verdict, Verdict::ManifestInvalid) << missing;
        EXPECT_NE(r.outcome.detail.find(missing), std::string::npos) << r.outcome.detail;
    }
    for (const char* missing : {"v", "issued_at", "expires_at"}) {
        f = {};
        f.ints.erase(missing);
        EXPECT_EQ(verdict(f), Verdict::ManifestInvalid) << missing;
    }
    f = {};
    f.ints["v"] = 2;
    EXPECT_EQ(verdict(f), Verdict::ManifestInvalid);
    f = {};
    f.ints["expires_at"] = f.ints["issued_at"];
    EXPECT_EQ(verdict(f), Verdict::ManifestInvalid);
    f = {};
    f.ints["expires_at"] = f.ints["issued_at"] + kMaxFreshnessValidity + 1;  // a statement that would hide a freeze for long
    r = check(f);
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestInvalid);
    EXPECT_NE(r.outcome.detail.find("validity"), std::string::npos) << r.outcome.detail;
}

// The engine with a server that answers "nothing newer" with a signed statement (HTTP 200,
// application/jose) or with a bare 204, and the device's freshness record in RAM.
class FreshnessEngineTest : public EngineTest {
protected:
    void SetUp() override {
        EngineTest::SetUp();
        freshness = &record;
        time_floor = &floor;
    }
    // What the server sends a device on 1.0.0 when nothing is newer.
    void state_nothing_newer(StatementFields f = {}, const std::string& key_file = pki("signing-key.pem")) {
        f.strings["device"] = "esp32-lab-01";
        server.manifest_status = 200;
        server.manifest = make_jws(statement_header(), f.to_json(), key_file);
    }
    RamFreshnessStore record;
    RamTimeFloorStore floor;
};

TEST_F(FreshnessEngineTest, ASignedNothingNewerIsNoUpdateAndIsRemembered) {
    state_nothing_newer();
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::NoUpdate);
    EXPECT_NE(r.outcome.detail.find("signed"), std::string::npos) << r.outcome.detail;
    ASSERT_TRUE(record.load());
    EXPECT_EQ(record.load()->issued_at, 1764999000);
    EXPECT_EQ(record.load()->expires_at, 1765085400);
    ASSERT_TRUE(floor.load());
    EXPECT_EQ(*floor.load(), 1764999000) << "a verified statement raises the time floor like a manifest";
    EXPECT_EQ(server.image_requests, 0);
}

TEST_F(FreshnessEngineTest, AnUnsignedNoUpdateIsBelievedOnlyBeforeTheFirstSignedOne) {
    server.manifest_status = 204;
    expect_refused_and_safe(update(), Verdict::NoUpdate);  // a server from before signed freshness
    state_nothing_newer();
    expect_refused_and_safe(update(), Verdict::NoUpdate);
    server.manifest_status = 204;
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::ServerError);
    EXPECT_NE(r.outcome.detail.find("unsigned"), std::string::npos) << r.outcome.detail;
}

TEST_F(FreshnessEngineTest, NoFreshSignedStatementForLongerThanItsValidityIsAFreezeSuspected) {
    state_nothing_newer();
    expect_refused_and_safe(update(), Verdict::NoUpdate);
    server.manifest_status = 204;
    time.t = 1765085400;  // the statement's expires_at
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::FreezeSuspected);
    EXPECT_NE(r.outcome.detail.find("2025-12-07T05:30:00Z"), std::string::npos) << r.outcome.detail;  // its expiry
    EXPECT_TRUE(is_security_refusal(Verdict::FreezeSuspected));
    EXPECT_STREQ(lcd_alert(Verdict::FreezeSuspected), "GEL SUSPECTE");
    // The server's old statement, replayed after its expiry, is no fresher.
    state_nothing_newer();
    expect_refused_and_safe(update(), Verdict::FreezeSuspected);
    // A fresh one heals it.
    StatementFields fresh;
    fresh.ints["issued_at"] = 1765085000;
    fresh.ints["expires_at"] = 1765171400;
    state_nothing_newer(fresh);
    expect_refused_and_safe(update(), Verdict::NoUpdate);
}

TEST_F(FreshnessEngineTest, AForgedStatementIsRefusedAndRemembersNothing) {
    state_nothing_newer({}, pki("other-key.pem"));
    expect_refused_and_safe(update(), Verdict::ManifestSignatureInvalid);
    EXPECT_FALSE(record.load());
    EXPECT_FALSE(floor.load());
    StatementFields other;
    other.strings["current"] = "0.9.0";
    state_nothing_newer(other);
    expect_refused_and_safe(update(), Verdict::ManifestInvalid);
    EXPECT_FALSE(record.load());
}

TEST_F(FreshnessEngineTest, AManifestIsStillInstalledAfterSignedStatements) {
    state_nothing_newer();
    expect_refused_and_safe(update(), Verdict::NoUpdate);
    offer(make_image("2.0.0", 1));
    server.manifest_status = 200;
    expect_updated(update());
}
