// libFuzzer target: the compact-JWS envelope, base64url, the JSON reader, payload schema and
// policy checks (signature skipped so that the fuzzer reaches the payload code).
//   ./fuzz_manifest -max_total_time=600 corpus/   (see docs/ota-verdicts.md)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "secure_ota/ota/json_reader.h"
#include "secure_ota/ota/manifest_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace secure_ota::ota;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    ManifestResult r = parse_and_verify_jws(in, nullptr);
    if (r.manifest) {
        DeviceContext d;
        d.product = "shop-display";
        d.running_version = *SemVer::parse("1.0.0");
        d.slot_size = 0x140000;
        d.now = 1765000000;
        d.highest = CounterRecord{2, "1.0.0"};
        (void)check_manifest_policy(*r.manifest, d);
    }
    // The JSON reader and semver directly, on the raw bytes too.
    JsonObject o;
    (void)parse_flat_json_object(reinterpret_cast<const char*>(data), size, o);
    (void)SemVer::parse(in.substr(0, 40));
    return 0;
}
