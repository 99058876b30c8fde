// The SHA-256 and MD5 backend this build links (OpenSSL on the virtual board, mbedTLS on the real
// one): known answers from FIPS 180-2 and RFC 1321, and the streaming API's contract (any split of
// the input, reuse after finish()) that the download hash and the image verifier rely on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "secure_ota/crypto/sha256.h"

namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& d) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : d) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

using secure_ota::crypto::Sha256;

TEST(Sha256Backend, KnownAnswers) {
    EXPECT_EQ(hex(Sha256::of("", 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex(Sha256::of("abc", 3)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    EXPECT_EQ(hex(Sha256::of(two_blocks.data(), two_blocks.size())),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Backend, MillionAsInUnevenPiecesAndReuseAfterFinish) {
    const std::vector<uint8_t> a(1000000, 'a');
    Sha256 h;
    size_t at = 0;
    for (size_t piece = 1; at < a.size(); piece = piece * 7 % 4099 + 1) {  // 1..4099 bytes, never block-aligned for long
        size_t n = std::min(piece, a.size() - at);
        h.update(a.data() + at, n);
        at += n;
    }
    EXPECT_EQ(hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // finish() leaves the object ready for a new message.
    h.update("abc", 3);
    EXPECT_EQ(hex(h.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(h.finish()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Md5Backend, KnownAnswers) {
    EXPECT_EQ(hex(secure_ota::crypto::md5("", 0)), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(hex(secure_ota::crypto::md5("abc", 3)), "900150983cd24fb0d6963f7d28e17f72");
}

}  // namespace
