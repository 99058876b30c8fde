// The virtual board's backend of crypto/sha256.h: OpenSSL's libcrypto, which uses the host CPU's
// SHA extensions (SHA-NI, ARMv8 SHA2) where it has them. The real board does the same with its
// own hardware: ESP-IDF's mbedTLS hashes on the ESP32's SHA accelerator. Debian's mbedTLS 2.28
// has only a portable C SHA-256, about ten times slower on the build machine, and an update
// hashes its 1 MiB image five to six times (download, end(), set_boot_partition(), bootloader,
// the boot's partition report): that was a quarter of a virtual update
// (bench/virtual-update). lib/secure_ota/src/crypto/sha256_mbedtls.cpp stays the real board's
// backend (tools/check-esp32-port) and the fuzzers'.
#include "secure_ota/crypto/sha256.h"

#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace secure_ota::crypto {

namespace {

// Fetched once: OpenSSL 3's EVP_sha256() looks the implementation up again at every init. The
// host's openssl.cnf is not read: the board's hashing owes nothing to the PC's configuration, and
// skipping it halves the library's start-up (about 0.4 ms at every boot stage and app start).
const EVP_MD* sha256_md() {
    static const EVP_MD* md = [] {
        OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr);
        return EVP_MD_fetch(nullptr, "SHA256", nullptr);
    }();
    return md ? md : EVP_sha256();
}

// These cannot fail for in-memory input short of running out of memory, which the firmware
// treats as fatal everywhere else too.
void check(int ok) {
    if (ok != 1) std::abort();
}

}  // namespace

struct Sha256::Context {
    EVP_MD_CTX* ctx;
};

Sha256::Sha256() : ctx_(new Context{EVP_MD_CTX_new()}) {
    if (!ctx_->ctx) std::abort();
    check(EVP_DigestInit_ex(ctx_->ctx, sha256_md(), nullptr));
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_->ctx); }

void Sha256::update(const void* data, size_t length) { check(EVP_DigestUpdate(ctx_->ctx, data, length)); }

Sha256Digest Sha256::finish() {
    Sha256Digest digest{};
    unsigned int n = 0;
    check(EVP_DigestFinal_ex(ctx_->ctx, digest.data(), &n));
    check(EVP_DigestInit_ex(ctx_->ctx, sha256_md(), nullptr));
    return digest;
}

Sha256Digest Sha256::of(const void* data, size_t length) {
    Sha256Digest digest{};
    unsigned int n = 0;
    check(EVP_Digest(data, length, digest.data(), &n, sha256_md(), nullptr));
    return digest;
}

Md5Digest md5(const void* data, size_t length) {
    Md5Digest digest{};
    unsigned int n = 0;
    sha256_md();  // the same one-time initialisation
    check(EVP_Digest(data, length, digest.data(), &n, EVP_md5(), nullptr));
    return digest;
}

}  // namespace secure_ota::crypto
