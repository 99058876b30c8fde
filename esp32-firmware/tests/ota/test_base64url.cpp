#include <gtest/gtest.h>

#include "secure_ota/ota/base64url.h"

using namespace secure_ota::ota;

static std::string dec(const std::string& s, bool* ok = nullptr) {
    std::vector<uint8_t> out;
    bool r = base64url_decode(s, out);
    if (ok) *ok = r;
    return std::string(out.begin(), out.end());
}

TEST(Base64Url, Rfc4648Vectors) {
    const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char* enc[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (int i = 0; i < 7; ++i) {
        EXPECT_EQ(base64url_encode(plain[i]), enc[i]);
        bool ok;
        EXPECT_EQ(dec(enc[i], &ok), plain[i]);
        EXPECT_TRUE(ok);
    }
}

TEST(Base64Url, UsesUrlAlphabet) {
    std::string bytes = "\xfb\xff\xbf";
    EXPECT_EQ(base64url_encode(bytes), "-_-_");
    EXPECT_EQ(dec("-_-_"), bytes);
}

TEST(Base64Url, RoundTripsEveryLength) {
    std::string s;
    for (int n = 0; n < 70; ++n) {
        s += char(n * 37 + 11);
        bool ok;
        EXPECT_EQ(dec(base64url_encode(s), &ok), s);
        EXPECT_TRUE(ok);
    }
}

TEST(Base64Url, RejectsPaddingWhitespaceAndForeignCharacters) {
    bool ok = true;
    for (const char* bad : {"Zg==", "Zm8=", "Zm9v\n", " Zm9v", "Zm9v+", "Zm9v/", "Zm.9v", "Z", "Zm9vY", "Zm\x80v", "Zg=", "===="}) {
        std::vector<uint8_t> out{1, 2, 3};
        EXPECT_FALSE(base64url_decode(bad, out)) << bad;
        EXPECT_TRUE(out.empty()) << bad;
    }
    (void)ok;
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
    // "Zg" is the canonical "f"; "Zh" has non-zero unused bits and decodes to the same byte.
    bool ok;
    dec("Zh", &ok);
    EXPECT_FALSE(ok);
    dec("Zm9", &ok);
    EXPECT_FALSE(ok);
}

TEST(Base64Url, EnforcesOutputBound) {
    std::vector<uint8_t> out;
    EXPECT_FALSE(base64url_decode(std::string(100, 'A'), out, 74));
    EXPECT_TRUE(base64url_decode(std::string(100, 'A'), out, 75));
    EXPECT_EQ(out.size(), 75u);
}
