// lib/secure_ota must build for the ESP32 from the same sources: no Arduino, no POSIX.
// The host compiler would accept those headers, so the sources themselves are checked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

TEST(PortableCore, IncludesOnlyTheStandardLibraryAndItsOwnHeaders) {
    const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    const std::regex allowed(R"(^(secure_ota/.*|mbedtls/.*|psa/.*|[a-z_]+(\.h)?)$)");
    const std::regex forbidden(R"(^(unistd\.h|fcntl\.h|poll\.h|termios\.h|pthread\.h|signal\.h|dlfcn\.h|Arduino\.h|sys/.*|esp_.*)$)");
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(CORE_SOURCE_DIR)) {
        if (!entry.is_regular_file()) continue;
        auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        while (std::getline(in, line)) {
            std::smatch m;
            if (!std::regex_search(line, m, include)) continue;
            std::string header = m[1];
            EXPECT_TRUE(std::regex_match(header, allowed)) << entry.path() << ": " << header;
            EXPECT_FALSE(std::regex_match(header, forbidden)) << entry.path() << ": " << header;
            if (header.rfind("mbedtls/", 0) == 0 || header.rfind("psa/", 0) == 0) {  // mbedTLS's PSA API too
                EXPECT_NE(entry.path().string().find("/crypto/"), std::string::npos)
                    << entry.path() << ": mbedTLS belongs behind crypto/ only";
            }
        }
    }
    EXPECT_GT(files, 20);
}
