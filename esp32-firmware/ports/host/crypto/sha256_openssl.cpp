// The virtual board's backend of crypto/sha256.h: OpenSSL's libcrypto, which uses the host CPU's
// SHA extensions (SHA-NI, ARMv8 SHA2) where it has them. The real board does the same with its
// own hardware: ESP-IDF's mbedTLS hashes on the ESP32's SHA accelerator. Debian's mbedTLS 2.28
// has only a portable C SHA-256, about ten times slower on the build machine, and an update
// hashes its 1 MiB image five to six times (download, end(), set_boot_partition(), bootloader,
// the boot's partition report): that was a quarter of a virtual update
// (bench/virtual-update). lib/secure_ota/src/crypto/sha256_mbedtls.cpp stays the real board's
// backend (tools/check-esp32-port) and the fuzzers'.
#include "secure_ota/crypto/sha256.h"

// SHA256_Init/Update/Final and MD5 are deprecated in OpenSSL 3 in favour of EVP, but EVP costs
// every process that hashes the start-up of OpenSSL's provider machinery: its first
// EVP_MD_fetch pre-populates the name map with every legacy cipher and digest, about 0.5 ms of
// CPU. The virtual board pays that twice per boot (the boot stage's verification and the app's),
// on the path of every update. The low-level functions run the same SHA-NI/AVX2 block code
// (OPENSSL_ia32cap, set when libcrypto loads) with no start-up at all (bench/README.md).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <cstdlib>

namespace secure_ota::crypto {

namespace {

// These cannot fail for in-memory input, which the firmware treats as fatal everywhere else too.
void check(int ok) {
    if (ok != 1) std::abort();
}

}  // namespace

struct Sha256::Context {
    SHA256_CTX ctx;
};

Sha256::Sha256() : ctx_(new Context) { check(SHA256_Init(&ctx_->ctx)); }

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t length) { check(SHA256_Update(&ctx_->ctx, data, length)); }

Sha256Digest Sha256::finish() {
    Sha256Digest digest{};
    check(SHA256_Final(digest.data(), &ctx_->ctx));
    check(SHA256_Init(&ctx_->ctx));
    return digest;
}

Sha256Digest Sha256::of(const void* data, size_t length) {
    Sha256Digest digest{};
    SHA256_CTX ctx;
    check(SHA256_Init(&ctx));
    check(SHA256_Update(&ctx, data, length));
    check(SHA256_Final(digest.data(), &ctx));
    return digest;
}

Md5Digest md5(const void* data, size_t length) {
    Md5Digest digest{};
    MD5_CTX ctx;
    check(MD5_Init(&ctx));
    check(MD5_Update(&ctx, data, length));
    check(MD5_Final(digest.data(), &ctx));
    return digest;
}

}  // namespace secure_ota::crypto
