// Encrypted releases (issue 14): the decrypting stage against Espressif's own files, then the
// whole engine against the fake server: round trips for both schemes, a Range resume that keeps
// the GCM state, and one refusal per way the file, the key or the sizes can be wrong. Every
// refusal also checks the fixture's invariant: the target slot cannot boot, V1 still runs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>

#include "engine_fixture.h"
#include "esp_encrypt.h"
#include "secure_ota/factory_data.h"
#include "secure_ota/ota/encrypted_image_stage.h"
#include "secure_ota/ota/provisioning.h"
#include "secure_ota/ota/telemetry_observer.h"

namespace ota_test {
namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

std::unique_ptr<ota::crypto::ImageDecryptionKey> device_key(const std::string& pem_file) {
    std::string err;
    auto k = ota::crypto::ImageDecryptionKey::from_pem(read_file(vector_file(pem_file)), err);
    EXPECT_TRUE(k) << err;
    return k;
}

// Runs a whole file through the stage in chunks of `chunk` bytes.
Outcome run_stage(const ota::crypto::ImageDecryptionKey& key, const std::vector<uint8_t>& file, uint32_t plaintext_size,
                  std::vector<uint8_t>& plain, size_t chunk) {
    EncryptedImageExpectation e{plaintext_size, plaintext_size + 512, secure_ota::crypto::Sha256::of(file.data(), file.size())};
    EncryptedImageStage stage(key, e, [&](const uint8_t* p, size_t n) {
        plain.insert(plain.end(), p, p + n);
        return Outcome::of(Verdict::Updated);
    });
    for (size_t at = 0; at < file.size(); at += chunk) {
        Outcome o = stage.accept(file.data() + at, std::min(chunk, file.size() - at));
        if (!o.ok()) return o;
    }
    return stage.finish();
}

TEST(EncryptedImageStage, DecryptsTheEciesFileMadeByEspressifsTool) {
    auto key = device_key("ecies-device-key.pem");
    auto plain_expected = bytes_of(read_file(vector_file("plain.bin")));
    auto file = bytes_of(read_file(vector_file("plain.ecies-by-esp-tool.bin")));
    for (size_t chunk : {size_t(1), size_t(7), size_t(512), size_t(4096)}) {
        std::vector<uint8_t> plain;
        Outcome o = run_stage(*key, file, uint32_t(plain_expected.size()), plain, chunk);
        ASSERT_TRUE(o.ok()) << to_string(o.verdict) << ": " << o.detail;
        EXPECT_EQ(plain, plain_expected) << "chunk " << chunk;
    }
}

TEST(EncryptedImageStage, DecryptsTheRsaFileMadeByEspressifsTool) {
    auto key = device_key("rsa-device-key.pem");
    EXPECT_EQ(key->scheme(), ota::crypto::ImageScheme::Rsa3072);
    auto plain_expected = bytes_of(read_file(vector_file("plain.bin")));
    auto file = bytes_of(read_file(vector_file("plain.rsa-by-esp-tool.bin")));
    std::vector<uint8_t> plain;
    Outcome o = run_stage(*key, file, uint32_t(plain_expected.size()), plain, 100);
    ASSERT_TRUE(o.ok()) << to_string(o.verdict) << ": " << o.detail;
    EXPECT_EQ(plain, plain_expected);
}

TEST(EncryptedImageStage, KeyIdsAreTheWorkbenchsSpkiRule) {
    for (const char* pem : {"ecies-device-key.pem", "rsa-device-key.pem"}) {
        auto key = device_key(pem);
        auto recipient = Recipient::from_private_pem(read_file(vector_file(pem)));
        EXPECT_EQ(key->key_id(), recipient->key_id()) << pem;
        EXPECT_EQ(key->key_id().size(), 16u);
    }
}

TEST(EncryptedImageStage, RefusesKeysOfOtherKinds) {
    std::string err;
    EXPECT_FALSE(ota::crypto::ImageDecryptionKey::from_pem(read_file(vector_file("ecies-device-pub.pem")), err));
    EXPECT_FALSE(ota::crypto::ImageDecryptionKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", err));
}

// Throughput of the stage alone over 1 MiB (ECIES key derivation included), for the README.
TEST(EncryptedImageStage, BenchmarkOneMiBThroughTheStage) {
    auto key = device_key("ecies-device-key.pem");
    auto recipient = Recipient::from_private_pem(read_file(vector_file("ecies-device-key.pem")));
    std::vector<uint8_t> plain(1u << 20, 0x5a);
    auto file = recipient->encrypt(plain);
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
        std::vector<uint8_t> out;
        out.reserve(plain.size());
        auto t0 = std::chrono::steady_clock::now();
        Outcome o = run_stage(*key, file, uint32_t(plain.size()), out, 4096);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        ASSERT_TRUE(o.ok()) << o.detail;
        ASSERT_EQ(out, plain);
    }
    std::printf("[ BENCH    ] decrypting stage, 1 MiB in 4 KiB chunks: %.1f ms (SHA-256 of the file + AES-256-GCM + ECDH)\n",
                best * 1000);
}

// Factory data tag 7 (docs/factory-data.md): optional, round-trips, and becomes the engine's key.
TEST(FactoryDataDecryptionKey, IsOptionalRoundTripsAndProvisionsTheEngine) {
    FactoryData fd;
    fd.device_id = "esp32-lab-01";
    fd.product = "shop-display";
    fd.server_url = "https://127.0.0.1:8443";
    fd.api_key = "key-123";
    fd.ca_cert_pem = read_file(pki("lab-ca.pem"));
    fd.signing_pubkey_pem = read_file(pki("signing-pub.pem"));
    auto without = fd.serialize();
    EXPECT_EQ(without[6], 6) << "no tag 7: the bytes a writer without it makes";
    std::string err;
    auto prov = provisioning_from_factory_data(fd, chip_id::kHost, err);
    ASSERT_TRUE(prov) << err;
    EXPECT_FALSE(prov->decryption_key);

    for (const char* pem : {"ecies-device-key.pem", "rsa-device-key.pem"}) {
        fd.decryption_key_pem = read_file(vector_file(pem));
        auto bytes = fd.serialize();
        EXPECT_EQ(bytes[6], 7);
        auto back = FactoryData::parse(bytes.data(), bytes.size(), err);
        ASSERT_TRUE(back) << err;
        EXPECT_EQ(back->decryption_key_pem, fd.decryption_key_pem);
        auto p = provisioning_from_factory_data(*back, chip_id::kHost, err);
        ASSERT_TRUE(p) << err;
        ASSERT_TRUE(p->decryption_key);
        EXPECT_EQ(p->decryption_key->key_id(), Recipient::from_private_pem(fd.decryption_key_pem)->key_id());
    }
    fd.decryption_key_pem = read_file(pki("signing-pub.pem"));  // a public key is no decryption key
    EXPECT_FALSE(fd.validate(err));
    fd.decryption_key_pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    EXPECT_FALSE(provisioning_from_factory_data(fd, chip_id::kHost, err));
    EXPECT_NE(err.find("decryption key"), std::string::npos) << err;
}

// The engine fixture (V1 running, V2 offered) with encrypted releases.
class EncryptedUpdateTest : public EngineTest {
protected:
    void SetUp() override {
        EngineTest::SetUp();
        ecies = Recipient::from_private_pem(read_file(vector_file("ecies-device-key.pem")));
        rsa = Recipient::from_private_pem(read_file(vector_file("rsa-device-key.pem")));
        ecies_key = device_key("ecies-device-key.pem");
        rsa_key = device_key("rsa-device-key.pem");
        decryption_key = ecies_key.get();
    }

    // Publishes V2 encrypted for `recipient` with a v2 manifest over the genuine file; `tamper`
    // then changes the served bytes only (an attacker in the store or on the path).
    void offer_encrypted(const Recipient& recipient, const std::function<void(std::vector<uint8_t>&)>& tamper = {},
                         const std::string& manifest_key_id = "") {
        plain = make_image("2.0.0", 1);
        std::vector<uint8_t> file = recipient.encrypt(plain);
        auto plain_digest = secure_ota::crypto::Sha256::of(plain.data(), plain.size());
        auto file_digest = secure_ota::crypto::Sha256::of(file.data(), file.size());
        ManifestFields f;
        f.ints["v"] = 2;
        f.ints["size"] = int64_t(plain.size());
        f.ints["encrypted_size"] = int64_t(file.size());
        f.strings["sha256"] = hex(plain_digest.data(), plain_digest.size());
        f.strings["encrypted_sha256"] = hex(file_digest.data(), file_digest.size());
        f.strings["encryption"] = recipient.rsa() ? "rsa-3072" : "ecies-p256";
        f.strings["encryption_key_id"] = manifest_key_id.empty() ? recipient.key_id() : manifest_key_id;
        server.image_path = "/firmware/shop-display-2.0.0.enc";
        f.strings["url"] = server.image_path;
        if (tamper) tamper(file);
        server.image = std::move(file);
        server.manifest = make_jws(header_json(), f.to_json());
    }

    std::unique_ptr<Recipient> ecies, rsa;
    std::unique_ptr<ota::crypto::ImageDecryptionKey> ecies_key, rsa_key;
    std::vector<uint8_t> plain;
};

TEST_F(EncryptedUpdateTest, UpdatesFromAnEciesRelease) {
    offer_encrypted(*ecies);
    UpdateResult r = update();
    EXPECT_EQ(r.image_bytes_received, plain.size() + 512);
    expect_updated(r);
    EXPECT_TRUE(r.image_decrypted);
}

// The "image_transport" telemetry line (docs/telemetry.md): what the workbench's device panel
// shows instead of reading a human log line.
namespace {
struct TransportSerial : SerialPort {
    std::string out;
    void write(const char* d, size_t n) override { out.append(d, n); }
    int read_byte() override { return -1; }
};
std::string transport_line(const UpdateResult& r) {
    TransportSerial s;
    TelemetryWriter t(s);
    send_image_transport(t, r);
    return s.out;
}
}  // namespace

TEST_F(EncryptedUpdateTest, ImageTransportSaysHowTheImageTravelledAndWhetherItWasDecrypted) {
    offer_encrypted(*ecies);
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(transport_line(r), "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":true,"
                                 "\"scheme\":\"ecies-p256\",\"key_id\":\"" + ecies->key_id() + "\",\"decrypted\":true}\n");
}

TEST_F(EncryptedUpdateTest, ImageTransportOfAPlaintextReleaseSaysPlaintext) {
    offer(make_image("2.0.0", 1));  // a device with a decryption key, a plaintext release
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_FALSE(r.image_decrypted);
    EXPECT_EQ(transport_line(r), "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":false,"
                                 "\"scheme\":null,\"key_id\":null,\"decrypted\":false}\n");
}

TEST_F(EncryptedUpdateTest, ImageTransportOfAFileThatFailsItsTagIsNotDecrypted) {
    auto other = Recipient::fresh_p256();
    offer_encrypted(*other, {}, ecies->key_id());
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::DecryptBadTag);
    EXPECT_FALSE(r.image_decrypted);
    EXPECT_NE(transport_line(r).find("\"encrypted\":true,\"scheme\":\"ecies-p256\""), std::string::npos);
    EXPECT_NE(transport_line(r).find("\"decrypted\":false}"), std::string::npos);
}

TEST_F(EncryptedUpdateTest, NoImageTransportWhenNoImageWasRequested) {
    decryption_key = nullptr;
    offer_encrypted(*ecies);
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::DecryptWrongKey);
    EXPECT_EQ(transport_line(r), "");
}

TEST_F(EncryptedUpdateTest, UpdatesFromAnRsaRelease) {
    decryption_key = rsa_key.get();
    offer_encrypted(*rsa);
    expect_updated(update());
}

TEST_F(EncryptedUpdateTest, ADeviceWithAKeyStillInstallsPlaintextReleases) {
    offer(make_image("2.0.0", 1));
    expect_updated(update());
}

TEST_F(EncryptedUpdateTest, ResumesWithRangeAndKeepsTheGcmState) {
    offer_encrypted(*ecies);
    server.cut_image_after_body[1] = 5001;   // mid-block, not sector aligned
    server.cut_image_after_body[2] = 7000;
    UpdateResult r = update();
    expect_updated(r);
    EXPECT_EQ(r.resumes, 2u);
    bool asked_exact = false;
    for (const auto& req : server.requests) asked_exact = asked_exact || req.find("Range: bytes=5001-") != std::string::npos;
    EXPECT_TRUE(asked_exact) << "the resume starts at the exact byte the GCM context has reached";
    EXPECT_EQ(r.image_bytes_received, plain.size() + 512) << "no byte of the encrypted file is fetched twice";
}

TEST_F(EncryptedUpdateTest, ADeviceWithoutADecryptionKeyRefusesBeforeDownloading) {
    decryption_key = nullptr;
    offer_encrypted(*ecies);
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::DecryptWrongKey);
    EXPECT_EQ(server.image_requests, 0);
}

TEST_F(EncryptedUpdateTest, AReleaseForAnotherKeyIsTheWrongKey) {
    decryption_key = rsa_key.get();  // the device holds the RSA key, the release is for the ECIES one
    offer_encrypted(*ecies);
    expect_refused_and_safe(update(), Verdict::DecryptWrongKey);
    auto other = Recipient::fresh_p256();
    decryption_key = ecies_key.get();
    offer_encrypted(*other);
    UpdateResult r = update();
    expect_refused_and_safe(r, Verdict::DecryptWrongKey);
    EXPECT_EQ(server.image_requests, 0);
}

TEST_F(EncryptedUpdateTest, AFileForAnotherKeyUnderOurKeyIdFailsTheTag) {
    auto other = Recipient::fresh_p256();
    offer_encrypted(*other, {}, ecies->key_id());
    expect_refused_and_safe(update(), Verdict::DecryptBadTag);
}

struct Flip {
    size_t offset;  // SIZE_MAX - k: k bytes before the end
    const char* field;
    Verdict expected;
};


TEST_F(EncryptedUpdateTest, ABitFlipInAnyFieldOfAnEciesFileIsRefused) {
    const Flip flips[] = {
        {0, "magic", Verdict::DecryptHeaderInvalid},           {4, "ephemeral key X", Verdict::DecryptHeaderInvalid},
        {67, "ephemeral key Y", Verdict::DecryptHeaderInvalid}, {68, "HKDF salt", Verdict::DecryptBadTag},
        {99, "HKDF salt", Verdict::DecryptBadTag},             {100, "key-parameter padding", Verdict::DecryptHeaderInvalid},
        {387, "key-parameter padding", Verdict::DecryptHeaderInvalid}, {388, "IV", Verdict::DecryptBadTag},
        {403, "IV", Verdict::DecryptBadTag},                   {404, "size", Verdict::DecryptSizeMismatch},
        {408, "tag", Verdict::DecryptBadTag},                  {423, "tag", Verdict::DecryptBadTag},
        {424, "reserved", Verdict::DecryptHeaderInvalid},      {511, "reserved", Verdict::DecryptHeaderInvalid},
        {512, "first ciphertext byte", Verdict::DecryptBadTag}, {SIZE_MAX, "last ciphertext byte", Verdict::DecryptBadTag},
    };
    for (const Flip& f : flips) {
        SetUp();
        offer_encrypted(*ecies, [&](std::vector<uint8_t>& file) { file[f.offset == SIZE_MAX ? file.size() - 1 : f.offset] ^= 0x01; });
        SCOPED_TRACE(f.field);
        expect_refused_and_safe(update(), f.expected);
    }
}

TEST_F(EncryptedUpdateTest, ABitFlipInAnyFieldOfAnRsaFileIsRefused) {
    const Flip flips[] = {
        // A damaged wrapped key is a bad tag, never a distinct "bad padding" (no Bleichenbacher oracle).
        {0, "magic", Verdict::DecryptHeaderInvalid},      {4, "wrapped key", Verdict::DecryptBadTag},
        {387, "wrapped key", Verdict::DecryptBadTag},     {390, "IV", Verdict::DecryptBadTag},
        {406, "size", Verdict::DecryptSizeMismatch},      {415, "tag", Verdict::DecryptBadTag},
        {500, "reserved", Verdict::DecryptHeaderInvalid}, {5000, "ciphertext", Verdict::DecryptBadTag},
    };
    for (const Flip& f : flips) {
        SetUp();
        decryption_key = rsa_key.get();
        offer_encrypted(*rsa, [&](std::vector<uint8_t>& file) { file[f.offset] ^= 0x01; });
        SCOPED_TRACE(f.field);
        expect_refused_and_safe(update(), f.expected);
    }
}

TEST_F(EncryptedUpdateTest, ATruncatedFileIsRefusedWhereverItEnds) {
    for (size_t keep : {size_t(0), size_t(100), size_t(511), size_t(512), size_t(600), size_t(4096 + 512), size_t(SIZE_MAX)}) {
        SetUp();
        offer_encrypted(*ecies, [&](std::vector<uint8_t>& file) { file.resize(keep == SIZE_MAX ? file.size() - 1 : keep); });
        SCOPED_TRACE("kept " + std::to_string(keep));
        expect_refused_and_safe(update(), Verdict::DecryptTruncated);
    }
}

TEST_F(EncryptedUpdateTest, ExtraBytesAreRefused) {
    for (size_t extra : {size_t(1), size_t(16), size_t(4096)}) {
        SetUp();
        offer_encrypted(*ecies, [&](std::vector<uint8_t>& file) { file.insert(file.end(), extra, 0x00); });
        SCOPED_TRACE("extra " + std::to_string(extra));
        UpdateResult r = update();
        expect_refused_and_safe(r, Verdict::DecryptSizeMismatch);
        EXPECT_EQ(r.image_bytes_received, 0u) << "refused from the headers, before any byte reaches flash";
    }
}

TEST_F(EncryptedUpdateTest, AnotherValidEncryptionOfTheSameImageIsNotTheSignedFile) {
    // Anyone with the public key can make a file that passes the tag: the manifest's
    // encrypted_sha256 is what binds the served file.
    offer_encrypted(*ecies, [&](std::vector<uint8_t>& file) { file = ecies->encrypt(plain); });
    expect_refused_and_safe(update(), Verdict::HashMismatch);
}

TEST_F(EncryptedUpdateTest, AManifestWithInconsistentEncryptedSizeIsMalformed) {
    offer_encrypted(*ecies);
    ManifestFields f;
    f.ints["v"] = 2;
    f.ints["size"] = int64_t(plain.size());
    f.ints["encrypted_size"] = int64_t(plain.size() + 511);
    f.strings["encrypted_sha256"] = std::string(64, 'b');
    f.strings["encryption"] = "ecies-p256";
    f.strings["encryption_key_id"] = ecies->key_id();
    f.strings["url"] = server.image_path;
    server.manifest = make_jws(header_json(), f.to_json());
    expect_refused_and_safe(update(), Verdict::ManifestInvalid);
}

}  // namespace
}  // namespace ota_test
