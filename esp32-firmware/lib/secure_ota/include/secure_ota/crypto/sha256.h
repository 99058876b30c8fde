// The only place the firmware asks for SHA-256 (and MD5, which ESP-IDF's partition table
// uses as its checksum). After MCUboot's bootutil/crypto/sha256.h: callers see one small
// streaming API, the backend is chosen at build time. The backend is mbedTLS, which both
// boards have (Debian's 2.28 on the host, ESP-IDF's 3.x on the ESP32); the version split
// lives in the .cpp so that no caller depends on mbedTLS headers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace secure_ota::crypto {

using Sha256Digest = std::array<uint8_t, 32>;
using Md5Digest = std::array<uint8_t, 16>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t length);
    Sha256Digest finish();  // the object can be reused after finish()

    static Sha256Digest of(const void* data, size_t length);

private:
    struct Context;
    std::unique_ptr<Context> ctx_;
};

Md5Digest md5(const void* data, size_t length);

}  // namespace secure_ota::crypto
