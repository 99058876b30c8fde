#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "secure_ota/ota/verdict.h"

using namespace secure_ota::ota;

TEST(Verdict, CodesAreUniqueUpperSnakeAndRoundTrip) {
    std::set<std::string> seen;
    for (Verdict v : kAllVerdicts) {
        std::string code = to_string(v);
        EXPECT_TRUE(seen.insert(code).second) << code;
        for (char c : code) EXPECT_TRUE((c >= 'A' && c <= 'Z') || c == '_') << code;
        Verdict back;
        ASSERT_TRUE(verdict_from_string(code, back)) << code;
        EXPECT_EQ(back, v);
        EXPECT_GT(std::strlen(reason(v)), 10u) << code;
        EXPECT_LE(std::strlen(lcd_alert(v)), 16u) << code << " LCD line must fit 16 columns";
        EXPECT_LE(std::strlen(lcd_alert(v, secure_ota::LcdLanguage::En)), 16u) << code << " English LCD line must fit 16 columns";
        // Every refusal has an English line of its own (UPDATED and NO_UPDATE leave the screen alone).
        EXPECT_EQ(std::strlen(lcd_alert(v)) == 0, std::strlen(lcd_alert(v, secure_ota::LcdLanguage::En)) == 0) << code;
    }
    Verdict out;
    EXPECT_FALSE(verdict_from_string("updated", out));
}

TEST(Verdict, StableCodesNamedByTheIssue) {
    EXPECT_STREQ(to_string(Verdict::TlsCertUntrusted), "TLS_CERT_UNTRUSTED");
    EXPECT_STREQ(to_string(Verdict::TlsHostnameMismatch), "TLS_HOSTNAME_MISMATCH");
    EXPECT_STREQ(to_string(Verdict::NoValidTime), "NO_VALID_TIME");
    EXPECT_STREQ(to_string(Verdict::ManifestSignatureInvalid), "MANIFEST_SIGNATURE_INVALID");
    EXPECT_STREQ(to_string(Verdict::ManifestExpired), "MANIFEST_EXPIRED");
    EXPECT_STREQ(to_string(Verdict::DowngradeRefused), "DOWNGRADE_REFUSED");
    EXPECT_STREQ(to_string(Verdict::ImageTooLarge), "IMAGE_TOO_LARGE");
    EXPECT_STREQ(to_string(Verdict::HashMismatch), "HASH_MISMATCH");
    EXPECT_STREQ(to_string(Verdict::ImageInvalid), "IMAGE_INVALID");
    EXPECT_STREQ(to_string(Verdict::ConnectionLost), "CONNECTION_LOST");
    EXPECT_STREQ(to_string(Verdict::Updated), "UPDATED");
    EXPECT_STREQ(lcd_alert(Verdict::HashMismatch), "HASH INVALID");
    EXPECT_TRUE(is_security_refusal(Verdict::HashMismatch));
    EXPECT_FALSE(is_security_refusal(Verdict::Updated));
}
