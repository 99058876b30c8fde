// Encrypted releases end to end against the real workbench (jar): `pki init --product`,
// `firmware publish --encrypt`, the real OTA server over real TLS, the device key taken from
// the product key file the factory step writes into factory data; the engine decrypts while it
// streams into the slot. Also the 1 MiB benchmark, encrypted against plaintext. Skipped when the
// jar is absent, like JavaServerTest.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "workbench_server.h"
#include "ci_prerequisite.h"
#include "engine_fixture.h"
#include "mbedtls_connector.h"

using namespace ota_test;

namespace {


// One lab with one published release, served; `encrypted` chooses `publish --encrypt`.
struct Lab {
    std::string dir, lab, java, api_key;
    std::vector<uint8_t> image;
    std::string output;

    bool init(bool encrypted, bool rsa, size_t payload) {
        char tmpl[] = "/tmp/ota-enclab-XXXXXX";
        if (!::mkdtemp(tmpl)) return false;
        dir = tmpl;
        lab = dir + "/lab";
        java = "java -Dworkbench.home='" + dir + "' -jar '" + std::string(OTA_WORKBENCH_JAR) + "'";
        auto cli = [&](const std::string& args) { return run(java + " --lab='" + lab + "' " + args + " 2>&1", &output) == 0; };
        if (!cli("pki init")) return false;
        if (encrypted && !cli(std::string("pki init --product shop-display") + (rsa ? " --rsa" : ""))) return false;
        image = make_image("2.0.0", 1, payload);
        const std::string image_path = dir + "/shop-display-2.0.0.bin";
        {
            std::ofstream f(image_path, std::ios::binary);
            f.write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
        }
        if (!cli("firmware publish --product=shop-display '" + image_path + "'" + (encrypted ? " --encrypt" : ""))) return false;
        if (!cli("server add-device --product=shop-display esp32-lab-01")) return false;
        for (size_t at = 0; at < output.size();) {  // the key is the one indented line of the output
            size_t nl = output.find('\n', at);
            std::string l = output.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
            if (l.rfind("  ", 0) == 0 && l.find(' ', 2) == std::string::npos && l.size() > 20) api_key = l.substr(2);
            at = nl == std::string::npos ? output.size() : nl + 1;
        }
        return !api_key.empty() && cli("server deploy shop-display 2.0.0");
    }
    ~Lab() {
        if (!dir.empty()) run("rm -rf '" + dir + "'");
    }
};

}  // namespace

class EncryptedJavaServerTest : public EngineTest {
protected:
    // One update of V1 to the lab's release over real TLS; returns the result and its wall time.
    UpdateResult update_from(Lab& l, uint16_t port, double* seconds = nullptr) {
        std::string err;
        key = ota::crypto::EcdsaP256PublicKey::from_pem(read_file(l.lab + "/certs/signing-pub.pem"), err);
        EXPECT_TRUE(key) << err;
        host::MbedTlsConnector::Options o;
        o.ca_pem = read_file(l.lab + "/certs/ca.pem");
        o.time = &time;
        host::MbedTlsConnector tls(o);
        host::SteadyClock steady;
        time.t = int64_t(std::time(nullptr));
        UpdateConfig cfg;
        cfg.server_host = "localhost";
        cfg.server_port = port;
        cfg.device_id = "esp32-lab-01";
        cfg.api_key = l.api_key;
        cfg.product = "shop-display";
        cfg.chip_id = chip_id::kHost;
        cfg.total_timeout_ms = 120000;
        UpdateEngine::Deps deps{tls, steady, time, *ops, nor, fuses, counters, key.get(), &observer, decryption_key};
        UpdateEngine engine(deps, cfg);
        auto t0 = std::chrono::steady_clock::now();
        UpdateResult r = engine.run(RunningApp{"1.0.0", 1});
        if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return r;
    }

    void round_trip(bool rsa) {
        const std::string jar = OTA_WORKBENCH_JAR;
        if (jar.empty() || !file_exists(jar)) OTA_SKIP_OR_FAIL_IN_CI() << "workbench jar not found (" << jar << ")";
        Lab l;
        ASSERT_TRUE(l.init(true, rsa, 50000)) << l.output;
        // The store holds ciphertext only: no .bin, and no 64-byte run of the image in the .enc
        // (runs of one repeated byte excepted: the header's zero padding matches the image's).
        const std::string enc = l.lab + "/releases/shop-display/shop-display-2.0.0.enc";
        ASSERT_TRUE(file_exists(enc));
        EXPECT_FALSE(file_exists(l.lab + "/releases/shop-display/shop-display-2.0.0.bin"));
        std::string stored = read_file(enc);
        std::string plain(l.image.begin(), l.image.end());
        for (size_t at = 0; at + 64 <= plain.size(); at += 16) {
            std::string run = plain.substr(at, 64);
            if (run.find_first_not_of(run[0]) == std::string::npos) continue;
            ASSERT_EQ(stored.find(run), std::string::npos) << "plaintext at " << at << " is in the store";
        }

        std::string err;
        auto device_key = ota::crypto::ImageDecryptionKey::from_pem(
            read_file(l.lab + "/certs/products/shop-display/decryption-key.pem"), err);
        ASSERT_TRUE(device_key) << err;
        EXPECT_EQ(device_key->scheme(), rsa ? ota::crypto::ImageScheme::Rsa3072 : ota::crypto::ImageScheme::EciesP256);

        WorkbenchServer srv(l.java, l.lab);
        ASSERT_NE(srv.port(), 0) << "server did not start";
        decryption_key = nullptr;  // a device of the product provisioned without the key
        UpdateResult refused = update_from(l, srv.port());
        expect_refused_and_safe(refused, Verdict::DecryptWrongKey);
        decryption_key = device_key.get();
        UpdateResult r = update_from(l, srv.port());
        expect_updated(r);
        EXPECT_EQ(r.manifest->size, l.image.size());
        EXPECT_TRUE(r.manifest->encrypted);
        EXPECT_EQ(r.image_bytes_received, l.image.size() + 512);
    }
};

TEST_F(EncryptedJavaServerTest, UpdatesFromAnEciesReleasePublishedByTheWorkbench) { round_trip(false); }

TEST_F(EncryptedJavaServerTest, UpdatesFromAnRsaReleasePublishedByTheWorkbench) { round_trip(true); }

// 1 MiB V2, plaintext and encrypted (ECIES), same server path and TLS; the two runs alternate
// five times and the best time of each counts (the machine is shared, load comes and goes).
// Prints the figures; asserts only that both work.
TEST_F(EncryptedJavaServerTest, BenchmarkOneMiBEncryptedAgainstPlaintext) {
    const std::string jar = OTA_WORKBENCH_JAR;
    if (jar.empty() || !file_exists(jar)) OTA_SKIP_OR_FAIL_IN_CI() << "workbench jar not found (" << jar << ")";
    const size_t payload = (1u << 20) - 1024;
    Lab labs[2];
    std::unique_ptr<ota::crypto::ImageDecryptionKey> keys[2];
    std::unique_ptr<WorkbenchServer> servers[2];
    for (int encrypted = 0; encrypted < 2; ++encrypted) {
        ASSERT_TRUE(labs[encrypted].init(encrypted == 1, false, payload)) << labs[encrypted].output;
        std::string err;
        if (encrypted)
            keys[1] = ota::crypto::ImageDecryptionKey::from_pem(
                read_file(labs[1].lab + "/certs/products/shop-display/decryption-key.pem"), err);
        servers[encrypted] = std::make_unique<WorkbenchServer>(labs[encrypted].java, labs[encrypted].lab);
        ASSERT_NE(servers[encrypted]->port(), 0);
    }
    double best[2] = {1e9, 1e9};
    for (int i = 0; i < 5; ++i) {
        for (int encrypted = 0; encrypted < 2; ++encrypted) {
            SetUp();
            decryption_key = keys[encrypted].get();
            double s = 0;
            UpdateResult r = update_from(labs[encrypted], servers[encrypted]->port(), &s);
            ASSERT_EQ(r.outcome.verdict, Verdict::Updated) << r.outcome.detail;
            best[encrypted] = std::min(best[encrypted], s);
        }
    }
    std::printf("[ BENCH    ] 1 MiB update over TLS from the workbench server: plaintext %.3f s, encrypted (ECIES-P256) %.3f s,"
                " ratio %.2fx (goal <= 1.2x)\n",
                best[0], best[1], best[1] / best[0]);
}
