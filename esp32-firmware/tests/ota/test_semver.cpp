#include <gtest/gtest.h>

#include "secure_ota/ota/semver.h"

using namespace secure_ota::ota;

static SemVer v(const char* s) {
    auto r = SemVer::parse(s);
    EXPECT_TRUE(r.has_value()) << s;
    return r.value_or(SemVer{});
}

TEST(SemVer, ParsesStrictForms) {
    SemVer a = v("1.2.3");
    EXPECT_EQ(a.major, 1u);
    EXPECT_EQ(a.minor, 2u);
    EXPECT_EQ(a.patch, 3u);
    EXPECT_EQ(v("10.20.30-rc.1+build.5").to_string(), "10.20.30-rc.1+build.5");
    EXPECT_EQ(v("4294967295.0.0").major, 4294967295u);
    for (const char* bad : {"", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", " 1.2.3", "1.2.3 ",
                            "1.2.-3", "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3-01", "1.2.3-a_b", "4294967296.0.0",
                            "1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a.b.c", "1..3"})
        EXPECT_FALSE(SemVer::parse(bad).has_value()) << bad;
}

TEST(SemVer, PrecedenceFollowsTheSpec) {
    // semver.org 11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2
    //                < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1
    const char* order[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                           "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0"};
    for (size_t i = 0; i + 1 < sizeof order / sizeof *order; ++i) {
        EXPECT_LT(compare(v(order[i]), v(order[i + 1])), 0) << order[i] << " < " << order[i + 1];
        EXPECT_GT(compare(v(order[i + 1]), v(order[i])), 0);
    }
    EXPECT_EQ(compare(v("1.0.0+a"), v("1.0.0+b")), 0) << "build metadata is ignored";
    EXPECT_TRUE(v("2.0.0") > v("1.9.99"));
    EXPECT_TRUE(v("1.10.0") > v("1.9.0")) << "numeric, not lexical";
}
