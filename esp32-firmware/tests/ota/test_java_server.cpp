// The engine against the real OTA server of issue 5 (the workbench jar's `serve`, Jetty 12),
// in a throw-away lab folder: pki init, publish V2 (signed by the workbench, not by us),
// provision the device, deploy, serve on an ephemeral port. Skipped when the jar is absent
// (configure with -DOTA_WORKBENCH_JAR=.../target/secure-ota-workbench.jar).
#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "workbench_server.h"
#include "ci_prerequisite.h"
#include "engine_fixture.h"
#include "mbedtls_connector.h"

using namespace ota_test;

namespace {


}  // namespace

class JavaServerTest : public EngineTest {};

TEST_F(JavaServerTest, UpdatesV1ToV2FromTheWorkbenchServer) {
    const std::string jar = OTA_WORKBENCH_JAR;
    if (jar.empty() || !file_exists(jar)) OTA_SKIP_OR_FAIL_IN_CI() << "workbench jar not found (" << jar << ")";
    if (run("command -v java >/dev/null") != 0) OTA_SKIP_OR_FAIL_IN_CI() << "java not found";
    char tmpl[] = "/tmp/ota-javalab-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const std::string lab = std::string(tmpl) + "/lab";
    const std::string java = "java -Dworkbench.home='" + std::string(tmpl) + "' -jar '" + jar + "'";
    std::string out;
    ASSERT_EQ(run(java + " --lab='" + lab + "' pki init 2>&1", &out), 0) << out;

    const std::string image_path = std::string(tmpl) + "/shop-display-2.0.0.bin";
    auto image = make_image("2.0.0", 1, 50000);
    {
        std::ofstream f(image_path, std::ios::binary);
        f.write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
    }
    ASSERT_EQ(run(java + " --lab='" + lab + "' firmware publish --product=shop-display '" + image_path + "' 2>&1", &out), 0) << out;
    ASSERT_EQ(run(java + " --lab='" + lab + "' server add-device --product=shop-display esp32-lab-01 2>&1", &out), 0) << out;
    // The key is the one indented line of the output.
    std::string api_key;
    for (size_t at = 0; at < out.size();) {
        size_t nl = out.find('\n', at);
        std::string l = out.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if (l.rfind("  ", 0) == 0 && l.find(' ', 2) == std::string::npos && l.size() > 20) api_key = l.substr(2);
        at = nl == std::string::npos ? out.size() : nl + 1;
    }
    ASSERT_FALSE(api_key.empty()) << out;
    ASSERT_EQ(run(java + " --lab='" + lab + "' server deploy shop-display 2.0.0 2>&1", &out), 0) << out;

    WorkbenchServer srv(java, lab);
    ASSERT_NE(srv.port(), 0) << "server did not start";

    std::string err;
    key = ota::crypto::EcdsaP256PublicKey::from_pem(read_file(lab + "/certs/signing-pub.pem"), err);
    ASSERT_TRUE(key) << err;
    host::MbedTlsConnector::Options o;
    o.ca_pem = read_file(lab + "/certs/ca.pem");
    o.time = &time;
    host::MbedTlsConnector tls(o);
    host::SteadyClock steady;
    time.t = int64_t(std::time(nullptr));
    UpdateConfig cfg;
    cfg.server_host = "localhost";
    cfg.server_port = srv.port();
    cfg.device_id = "esp32-lab-01";
    cfg.api_key = api_key;
    cfg.product = "shop-display";
    cfg.chip_id = chip_id::kHost;
    cfg.total_timeout_ms = 60000;
    UpdateEngine::Deps deps{tls, steady, time, *ops, nor, fuses, counters, key.get(), &observer};
    UpdateEngine engine(deps, cfg);
    RunningApp app{"1.0.0", 1};
    UpdateResult r = engine.run(app);
    Outcome rep = engine.report(r, app);
    expect_updated(r);
    EXPECT_EQ(rep.verdict, Verdict::Updated) << "server refused the report: " << rep.detail;
    EXPECT_EQ(r.manifest->size, image.size());
    // One full handshake; the image and report connections resume its session with the server.
    EXPECT_EQ(observer.connections, (std::vector<std::string>{"manifest full", "image resumed", "report resumed"}));

    // Up to date now: the server answers 204. (boot() made a new OtaOps for the V2 slot.)
    ASSERT_EQ(ops->mark_app_valid_cancel_rollback(), OtaError::Ok);
    UpdateEngine::Deps deps2{tls, steady, time, *ops, nor, fuses, counters, key.get(), &observer};
    UpdateEngine again(deps2, cfg);
    UpdateResult r2 = again.run(RunningApp{"2.0.0", 1});
    EXPECT_EQ(r2.outcome.verdict, Verdict::NoUpdate) << r2.outcome.detail;
    // A wrong API key.
    cfg.api_key = "not-the-key";
    UpdateEngine bad(deps2, cfg);
    EXPECT_EQ(bad.run(RunningApp{"1.0.0", 1}).outcome.verdict, Verdict::AuthRejected);
    run("rm -rf '" + std::string(tmpl) + "'");
}
