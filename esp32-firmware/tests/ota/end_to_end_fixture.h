// The engine over real sockets and real TLS (the host connector: the core's TLS session over
// POSIX sockets), a device on V1 and a directory the HTTPS stand-in server serves V2 from.
// Used by test_end_to_end.cpp and by the limits test (test_limits.cpp).
#pragma once

#include <ctime>
#include <fstream>
#include <sstream>
#include <cstdlib>

#include "engine_fixture.h"
#include "mbedtls_connector.h"

namespace ota_test {

class EndToEnd : public EngineTest {
protected:
    void SetUp() override {
        EngineTest::SetUp();
        // Real certificates are valid from today: use the real clock and a manifest valid now.
        const int64_t now = int64_t(std::time(nullptr));
        time.t = now;
        ManifestFields f;
        f.ints["issued_at"] = now - 3600;
        f.ints["expires_at"] = now + 30 * 86400;
        offer(make_image("2.0.0", 1), f);
        char tmpl[] = "/tmp/ota-e2e-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir = tmpl;
        std::ofstream(dir + "/manifest.jws") << server.manifest;
        std::ofstream img(dir + "/shop-display-2.0.0.bin", std::ios::binary);
        img.write(reinterpret_cast<const char*>(server.image.data()), std::streamsize(server.image.size()));
    }
    void TearDown() override { run("rm -rf '" + dir + "'"); }

    UpdateResult real_update(uint16_t port, const std::string& host = "127.0.0.1") {
        host::MbedTlsConnector::Options o;
        o.ca_pem = read_file(pki("lab-ca.pem"));
        o.time = &time;
        host::MbedTlsConnector tls(o);
        host::SteadyClock steady;
        UpdateConfig cfg;
        cfg.server_host = host;
        cfg.server_port = port;
        cfg.device_id = "esp32-lab-01";
        cfg.api_key = "key-123";
        cfg.product = "shop-display";
        cfg.chip_id = chip_id::kHost;
        cfg.total_timeout_ms = 60000;
        cfg.http.read_timeout_ms = 5000;
        UpdateEngine::Deps deps{tls, steady, time, *ops, nor, fuses, counters, key.get(), &observer};
        UpdateEngine engine(deps, cfg);
        RunningApp app{running_version, 1};
        UpdateResult r = engine.run(app);
        report = engine.report(r, app);
        return r;
    }
    std::string requests() {
        std::ifstream f(dir + "/requests.log");
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }

    std::string dir;
    Outcome report;
};

}  // namespace ota_test
