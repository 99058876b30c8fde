// mbedTLS backend of crypto/sha256.h. mbedTLS 3 renamed the *_ret functions to the plain
// names (which return int); mbedTLS 2.28 still has the *_ret forms. Both return 0 on
// success and cannot fail for in-memory input, so results are not propagated.
#include "secure_ota/crypto/sha256.h"

#include <mbedtls/md5.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define SO_SHA256_STARTS mbedtls_sha256_starts
#define SO_SHA256_UPDATE mbedtls_sha256_update
#define SO_SHA256_FINISH mbedtls_sha256_finish
#define SO_MD5 mbedtls_md5
#else
#define SO_SHA256_STARTS mbedtls_sha256_starts_ret
#define SO_SHA256_UPDATE mbedtls_sha256_update_ret
#define SO_SHA256_FINISH mbedtls_sha256_finish_ret
#define SO_MD5 mbedtls_md5_ret
#endif

namespace secure_ota::crypto {

struct Sha256::Context {
    mbedtls_sha256_context ctx;
};

Sha256::Sha256() : ctx_(new Context) {
    mbedtls_sha256_init(&ctx_->ctx);
    SO_SHA256_STARTS(&ctx_->ctx, 0 /* SHA-256, not SHA-224 */);
}

Sha256::~Sha256() { mbedtls_sha256_free(&ctx_->ctx); }

void Sha256::update(const void* data, size_t length) {
    SO_SHA256_UPDATE(&ctx_->ctx, static_cast<const unsigned char*>(data), length);
}

Sha256Digest Sha256::finish() {
    Sha256Digest digest{};
    SO_SHA256_FINISH(&ctx_->ctx, digest.data());
    SO_SHA256_STARTS(&ctx_->ctx, 0);
    return digest;
}

Sha256Digest Sha256::of(const void* data, size_t length) {
    Sha256 h;
    h.update(data, length);
    return h.finish();
}

Md5Digest md5(const void* data, size_t length) {
    Md5Digest digest{};
    SO_MD5(static_cast<const unsigned char*>(data), length, digest.data());
    return digest;
}

}  // namespace secure_ota::crypto
