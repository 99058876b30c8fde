#include <gtest/gtest.h>

#include "secure_ota/ota/base64url.h"
#include "secure_ota/ota/manifest_verifier.h"
#include "test_helpers.h"

using namespace secure_ota::ota;
using namespace ota_test;

class ManifestTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string err;
        key = crypto::EcdsaP256PublicKey::from_pem(read_file(pki("signing-pub.pem")), err);
        ASSERT_TRUE(key) << err;
        dev.product = "shop-display";
        dev.running_version = *SemVer::parse("1.0.0");
        dev.min_secure_version = 1;
        dev.slot_size = 0x100000;
        dev.now = 1765000000;
        dev.highest = CounterRecord{2, "1.5.0"};
    }
    ManifestResult check(const ManifestFields& f, const std::string& alg = "ES256") {
        return verify_manifest(make_jws(header_json(alg), f.to_json()), *key, dev);
    }
    Verdict verdict(const ManifestFields& f) { return check(f).outcome.verdict; }

    std::unique_ptr<crypto::EcdsaP256PublicKey> key;
    DeviceContext dev;
};

TEST_F(ManifestTest, AcceptsAValidManifest) {
    ManifestFields f;
    f.strings["sha256"] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    ManifestResult r = check(f);
    ASSERT_TRUE(r.accepted()) << to_string(r.outcome.verdict) << ": " << r.outcome.detail;
    EXPECT_EQ(r.manifest->version, "2.0.0");
    EXPECT_EQ(r.manifest->size, 4096u);
    EXPECT_EQ(r.manifest->counter, 3u);
    EXPECT_EQ(r.manifest->url, "/firmware/shop-display-2.0.0.bin");
    EXPECT_EQ(r.manifest->sha256[0], 0x00);
    EXPECT_EQ(r.manifest->sha256[31], 0xff);
}

TEST_F(ManifestTest, AcceptsTheDocumentedExampleHeaderWithKid) {
    std::string header = "{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + key->kid() + "\"}";
    ManifestResult r = verify_manifest(make_jws(header, ManifestFields{}.to_json()), *key, dev);
    EXPECT_TRUE(r.accepted()) << r.outcome.detail;
}

TEST_F(ManifestTest, WrongKey) {
    std::string jws = make_jws(header_json(), ManifestFields{}.to_json(), pki("other-key.pem"));
    EXPECT_EQ(verify_manifest(jws, *key, dev).outcome.verdict, Verdict::ManifestSignatureInvalid);
}

TEST_F(ManifestTest, ModifiedPayload) {
    std::string jws = make_jws(header_json(), ManifestFields{}.to_json());
    size_t d1 = jws.find('.'), d2 = jws.rfind('.');
    ManifestFields evil;
    evil.ints["size"] = 8192;
    std::string forged = jws.substr(0, d1 + 1) + b64(evil.to_json()) + jws.substr(d2);
    ManifestResult r = verify_manifest(forged, *key, dev);
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestSignatureInvalid);
    EXPECT_FALSE(r.manifest.has_value()) << "an unsigned payload is never exposed";
}

TEST_F(ManifestTest, SignatureFromAnotherManifest) {
    ManifestFields a, b;
    b.strings["version"] = "3.0.0";
    std::string ja = make_jws(header_json(), a.to_json()), jb = make_jws(header_json(), b.to_json());
    std::string spliced = jb.substr(0, jb.rfind('.')) + ja.substr(ja.rfind('.'));
    EXPECT_EQ(verify_manifest(spliced, *key, dev).outcome.verdict, Verdict::ManifestSignatureInvalid);
}

TEST_F(ManifestTest, AlgNoneAndHs256AreRejected) {
    std::string payload = b64(ManifestFields{}.to_json());
    // alg none with an empty signature, and with a real signature.
    EXPECT_EQ(verify_manifest(b64("{\"alg\":\"none\"}") + "." + payload + ".", *key, dev).outcome.verdict,
              Verdict::ManifestMalformed);
    EXPECT_EQ(check(ManifestFields{}, "none").outcome.verdict, Verdict::ManifestAlgRejected);
    EXPECT_EQ(check(ManifestFields{}, "HS256").outcome.verdict, Verdict::ManifestAlgRejected);
    EXPECT_EQ(check(ManifestFields{}, "es256").outcome.verdict, Verdict::ManifestAlgRejected);
    EXPECT_EQ(check(ManifestFields{}, "ES384").outcome.verdict, Verdict::ManifestAlgRejected);
    // HS256 "signed" with the public key as HMAC secret (the classic confusion attack).
    std::string h = b64("{\"alg\":\"HS256\"}");
    EXPECT_EQ(verify_manifest(h + "." + payload + "." + b64(std::string(32, 'x')), *key, dev).outcome.verdict,
              Verdict::ManifestAlgRejected);
    std::string noalg = make_jws("{\"typ\":\"ota-manifest+jws\"}", ManifestFields{}.to_json());
    EXPECT_EQ(verify_manifest(noalg, *key, dev).outcome.verdict, Verdict::ManifestAlgRejected);
    std::string numalg = make_jws("{\"alg\":256}", ManifestFields{}.to_json());
    EXPECT_EQ(verify_manifest(numalg, *key, dev).outcome.verdict, Verdict::ManifestAlgRejected);
    std::string crit = make_jws("{\"alg\":\"ES256\",\"crit\":\"exp\"}", ManifestFields{}.to_json());
    EXPECT_EQ(verify_manifest(crit, *key, dev).outcome.verdict, Verdict::ManifestInvalid);
}

TEST_F(ManifestTest, MalformedEnvelopes) {
    std::string good = make_jws(header_json(), ManifestFields{}.to_json());
    ASSERT_TRUE(verify_manifest(good, *key, dev).accepted());
    ASSERT_TRUE(verify_manifest(good + "\n", *key, dev).accepted()) << "one trailing newline is tolerated";
    size_t d1 = good.find('.'), d2 = good.rfind('.');
    std::string h = good.substr(0, d1), p = good.substr(d1 + 1, d2 - d1 - 1), s = good.substr(d2 + 1);
    const std::string cases[] = {
        "", ".", "..", "...", h, h + "." + p, h + "." + p + "." + s + ".", h + ".." + s, "." + p + "." + s,
        h + "." + p + "." + s + "=", h + "=." + p + "." + s, h + "." + p + " ." + s, " " + good,
        h + "." + p + "." + s.substr(1), b64("not json") + "." + p + "." + s,
        b64("{\"alg\":\"ES256\",\"alg\":\"none\"}") + "." + p + "." + s,
        std::string(kMaxJwsSize + 1, 'A'),
    };
    for (const std::string& c : cases) {
        ManifestResult r = verify_manifest(c, *key, dev);
        EXPECT_FALSE(r.accepted()) << c.substr(0, 80);
        EXPECT_TRUE(r.outcome.verdict == Verdict::ManifestMalformed || r.outcome.verdict == Verdict::ManifestSignatureInvalid ||
                    r.outcome.verdict == Verdict::ManifestInvalid)
            << c.substr(0, 80) << " -> " << to_string(r.outcome.verdict);
    }
}

TEST_F(ManifestTest, MalformedPayloadsAreRefusedAfterTheSignature) {
    auto refused = [&](ManifestFields f, const char* why) {
        EXPECT_EQ(verdict(f), Verdict::ManifestInvalid) << why;
    };
    ManifestFields f;
    f.ints.erase("counter");
    refused(f, "missing counter");
    f = {};
    f.ints["v"] = 2;
    refused(f, "v=2");
    f = {};
    f.strings["version"] = "2.0";
    refused(f, "not semver");
    f = {};
    f.strings["sha256"] = std::string(64, 'A');
    refused(f, "uppercase hex");
    f = {};
    f.strings["sha256"] = std::string(63, 'a');
    refused(f, "short hash");
    f = {};
    f.ints["size"] = 0;
    refused(f, "size 0");
    f = {};
    f.ints["size"] = -1;
    refused(f, "negative size");
    f = {};
    f.ints["size"] = 1ll << 33;
    refused(f, "size over 32 bits");
    f = {};
    f.ints["counter"] = -1;
    refused(f, "negative counter");
    f = {};
    f.ints["secure_version"] = -1;
    refused(f, "negative secure_version");
    f = {};
    f.ints["expires_at"] = f.ints["issued_at"];
    refused(f, "expires == issued");
    for (const char* url : {"https://evil.example/x.bin", "firmware/x.bin", "/../etc/passwd", "//evil/x", "/a b",
                            "/a\\\\b", "/x?y=1", "/%2e%2e/x"}) {
        f = {};
        f.strings["url"] = url;
        refused(f, url);
    }
    f = {};
    f.strings.erase("size");
    f.strings["size"] = "4096";
    f.ints.erase("size");
    refused(f, "size as a string");
}

TEST_F(ManifestTest, PolicyChecksInDocumentedOrder) {
    ManifestFields f;
    f.strings["product"] = "other-product";
    EXPECT_EQ(verdict(f), Verdict::ManifestWrongProduct);

    f = {};
    dev.now.reset();
    EXPECT_EQ(verdict(f), Verdict::NoValidTime);
    dev.now = 100;  // an unset RTC in 1970 is not trusted time
    EXPECT_EQ(verdict(f), Verdict::NoValidTime);
    dev.now = 1765000000;

    f.ints["expires_at"] = 1765000000;  // expiry instant itself is expired
    EXPECT_EQ(verdict(f), Verdict::ManifestExpired);
    f = {};
    f.ints["issued_at"] = 1765000000 + kClockSkewSeconds + 1;
    f.ints["expires_at"] = 1766592000;
    EXPECT_EQ(verdict(f), Verdict::ManifestNotYetValid);
    f.ints["issued_at"] = 1765000000 + kClockSkewSeconds;
    EXPECT_TRUE(check(f).accepted()) << "skew tolerated for issued_at";

    f = {};
    f.ints["counter"] = 1;
    EXPECT_EQ(verdict(f), Verdict::ManifestReplayed);
    f.ints["counter"] = 2;  // equal counter, other version than the one accepted with it
    EXPECT_EQ(verdict(f), Verdict::ManifestReplayed);
    dev.highest = CounterRecord{2, "2.0.0"};
    EXPECT_TRUE(check(f).accepted()) << "equal counter for the same release (retry) is allowed";
    dev.highest.reset();
    f.ints["counter"] = 1;
    EXPECT_TRUE(check(f).accepted()) << "first manifest ever";
    dev.highest = CounterRecord{2, "1.5.0"};

    f = {};
    dev.running_version = *SemVer::parse("2.0.0");
    EXPECT_EQ(verdict(f), Verdict::NoUpdate);
    dev.running_version = *SemVer::parse("3.0.0");
    EXPECT_EQ(verdict(f), Verdict::DowngradeRefused);
    dev.running_version = *SemVer::parse("2.0.0-rc.1");
    EXPECT_TRUE(check(f).accepted()) << "release after its release candidate";
    dev.running_version = *SemVer::parse("1.0.0");

    f = {};
    f.ints["secure_version"] = 0;
    EXPECT_EQ(verdict(f), Verdict::SecureVersionTooLow);

    f = {};
    f.ints["size"] = 0x100001;
    EXPECT_EQ(verdict(f), Verdict::ImageTooLarge);
    f.ints["size"] = 0x100000;
    EXPECT_TRUE(check(f).accepted());

    // Several faults at once: the first in the documented order wins.
    f = {};
    f.strings["product"] = "other";
    f.ints["counter"] = 1;
    f.ints["size"] = 0x200000;
    EXPECT_EQ(verdict(f), Verdict::ManifestWrongProduct);
    f.strings["product"] = "shop-display";
    EXPECT_EQ(verdict(f), Verdict::ManifestReplayed);
}

TEST_F(ManifestTest, ParserAloneWithoutKey) {
    ManifestResult r = parse_and_verify_jws(make_jws(header_json(), ManifestFields{}.to_json()), nullptr);
    ASSERT_TRUE(r.manifest.has_value());
    EXPECT_EQ(r.manifest->product, "shop-display");
}

// issue 29: docs/manifest.md is the grammar; every manifest below is signed by the right key,
// so only the grammar can refuse it, and the detail names what broke it.
class StrictManifestTest : public ManifestTest {
protected:
    void expect_invalid(const std::string& jws, const std::string& named, const char* why) {
        ManifestResult r = verify_manifest(jws, *key, dev);
        EXPECT_EQ(r.outcome.verdict, Verdict::ManifestInvalid) << why << ": " << to_string(r.outcome.verdict) << " "
                                                               << r.outcome.detail;
        EXPECT_NE(r.outcome.detail.find(named), std::string::npos) << why << ": detail '" << r.outcome.detail
                                                                   << "' does not name " << named;
    }
};

TEST_F(StrictManifestTest, UnknownPayloadFieldsAreRefused) {
    ManifestFields f;
    f.strings["firmware_note"] = "hello";
    expect_invalid(make_jws(header_json(), f.to_json()), "firmware_note", "unknown field");
    f = {};
    f.strings["encryption"] = "ecies-p256";  // a v2 field in a v1 manifest
    expect_invalid(make_jws(header_json(), f.to_json()), "encryption", "v2 field in v1");
}

TEST_F(StrictManifestTest, CountersOutsideOneTo2Pow53AreRefused) {
    ManifestFields f;
    f.ints["counter"] = 0;
    expect_invalid(make_jws(header_json(), f.to_json()), "counter", "counter 0");
    f.ints["counter"] = int64_t(1) << 53;
    expect_invalid(make_jws(header_json(), f.to_json()), "counter", "counter 2^53");
    f.ints["counter"] = (int64_t(1) << 53) - 1;
    dev.highest.reset();
    EXPECT_TRUE(check(f).accepted()) << "2^53-1 is the largest allowed counter";
    f = {};
    f.ints["expires_at"] = int64_t(1) << 53;
    expect_invalid(make_jws(header_json(), f.to_json()), "expires_at", "expires_at 2^53");
    f = {};
    f.ints["size"] = 16 * 1024 * 1024 + 1;
    expect_invalid(make_jws(header_json(), f.to_json()), "size", "size over 16 MiB");
}

TEST_F(StrictManifestTest, HeaderHoldsExactlyAlgTypAndKid) {
    std::string payload = ManifestFields{}.to_json();
    const std::string kid = signing_kid();
    expect_invalid(make_jws("{\"alg\":\"ES256\"}", payload), "typ", "only alg");
    expect_invalid(make_jws("{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\"}", payload), "kid", "no kid");
    expect_invalid(make_jws("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}", payload), "typ", "no typ");
    expect_invalid(make_jws("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", payload), "typ", "typ JWT");
    expect_invalid(make_jws("{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":7}", payload), "kid", "numeric kid");
    for (const char* extra : {"x5u", "jku", "jwk", "x5c", "cty"}) {
        std::string h = "{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\",\"" + extra +
                        "\":\"https://evil.example/k\"}";
        expect_invalid(make_jws(h, payload), extra, extra);
    }
}

TEST_F(StrictManifestTest, HighSSignaturesAreRefusedAndLowSAccepted) {
    std::string jws = make_jws(header_json(), ManifestFields{}.to_json());
    ASSERT_TRUE(verify_manifest(jws, *key, dev).accepted()) << "the signer writes low-s";
    size_t d2 = jws.rfind('.');
    std::vector<uint8_t> sig;
    ASSERT_TRUE(base64url_decode(std::string_view(jws).substr(d2 + 1), sig, 128));
    ASSERT_FALSE(is_high_s(sig.data() + 32));
    negate_s(sig.data() + 32);  // (r, n - s): verifies too, the malleated twin
    ASSERT_TRUE(is_high_s(sig.data() + 32));
    std::string twin = jws.substr(0, d2 + 1) + base64url_encode(sig.data(), sig.size());
    ASSERT_TRUE(key->verify(jws.data(), d2, sig.data(), sig.size())) << "the twin is a valid ECDSA signature";
    expect_invalid(twin, "high-s", "malleated signature");
}

TEST_F(StrictManifestTest, DeviceBinding) {
    dev.device_id = "esp32-lab-01";
    ManifestFields f;
    f.strings["device"] = "esp32-lab-02";
    ManifestResult r = check(f);
    EXPECT_EQ(r.outcome.verdict, Verdict::ManifestWrongDevice) << r.outcome.detail;
    EXPECT_NE(r.outcome.detail.find("esp32-lab-02"), std::string::npos);
    f.strings["device"] = "esp32-lab-01";
    r = check(f);
    EXPECT_TRUE(r.accepted()) << r.outcome.detail;
    EXPECT_EQ(r.manifest->device, "esp32-lab-01");
    f.strings.erase("device");
    EXPECT_TRUE(check(f).accepted()) << "a product-wide manifest names no device";
    f.strings["device"] = "";
    expect_invalid(make_jws(header_json(), f.to_json()), "device", "empty device");
    // Product first, then device: another product's manifest is refused as that.
    f.strings["device"] = "esp32-lab-02";
    f.strings["product"] = "kiosk";
    EXPECT_EQ(verdict(f), Verdict::ManifestWrongProduct);
}

