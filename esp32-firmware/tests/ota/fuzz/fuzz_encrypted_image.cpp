// libFuzzer target: the device's decrypting stage (EncryptedImageStage) on arbitrary files and
// chunkings, with the P-256 key of the committed test vectors (the corpus starts from Espressif's
// own file for it). Input: byte 0 picks the chunk size, the rest is the served file; the manifest's
// sizes are taken from the header when it has one, so the fuzzer reaches key derivation and GCM.
//   ./fuzz_encrypted_image -max_total_time=600 corpus/
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "secure_ota/ota/encrypted_image_stage.h"

namespace {
const secure_ota::ota::crypto::ImageDecryptionKey& key() {
    static std::unique_ptr<secure_ota::ota::crypto::ImageDecryptionKey> k = [] {
        std::ifstream f(FUZZ_KEY_PEM, std::ios::binary);
        std::string pem((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        std::string err;
        auto made = secure_ota::ota::crypto::ImageDecryptionKey::from_pem(pem, err);
        if (!made) __builtin_trap();
        return made;
    }();
    return *k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace secure_ota::ota;
    if (size < 1) return 0;
    const size_t chunk = size_t(data[0]) + 1;
    const uint8_t* file = data + 1;
    const size_t n = size - 1;
    uint32_t plain = 1;
    if (n >= 408) std::memcpy(&plain, file + 404, 4);  // little-endian hosts only (x86, ARM)
    plain = std::max<uint32_t>(1, std::min<uint32_t>(plain, 1u << 20));
    EncryptedImageExpectation e{plain, plain + 512, secure_ota::crypto::Sha256::of(file, n)};
    size_t delivered = 0;
    EncryptedImageStage stage(key(), e, [&](const uint8_t*, size_t k) {
        delivered += k;
        return Outcome::of(delivered > 64 ? Verdict::ImageInvalid : Verdict::Updated, "fuzz");
    });
    Outcome o = Outcome::of(Verdict::Updated);
    for (size_t at = 0; at < n && o.ok(); at += chunk) o = stage.accept(file + at, std::min(chunk, n - at));
    if (o.ok()) o = stage.finish();
    if (delivered > plain) __builtin_trap();  // never more plaintext than announced
    return 0;
}
