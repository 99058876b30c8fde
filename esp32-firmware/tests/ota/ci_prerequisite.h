// A test that needs something the machine may lack (python3, java, the workbench jar, curl) skips
// on a developer's machine, but FAILS in CI (CI=true): there, a test that cannot run is a broken
// build, not a pass in disguise.
#pragma once

#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

namespace ota_test {

inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::strcmp(ci, "true") == 0;
}

}  // namespace ota_test

// Use like GTEST_SKIP(): OTA_SKIP_OR_FAIL_IN_CI() << "python3 not found";
// (GTEST_SKIP() and GTEST_FAIL() are this same macro with a fixed result type.)
#define OTA_SKIP_OR_FAIL_IN_CI()                                                                  \
    return GTEST_MESSAGE_(::ota_test::in_ci() ? "cannot run in CI (CI=true), where nothing may skip" \
                                              : "skipped (outside CI)",                             \
                          ::ota_test::in_ci() ? ::testing::TestPartResult::kFatalFailure          \
                                              : ::testing::TestPartResult::kSkip)
