// Semantic Versioning 2.0.0 (semver.org): MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
// Strict: no leading zeros in numeric parts, no 'v' prefix, no whitespace, each numeric part
// fits in 32 bits, at most 31 characters (esp_app_desc_t.version is char[32]).
// Precedence follows the spec: build metadata is ignored, a pre-release sorts below its release.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secure_ota::ota {

struct SemVer {
    static constexpr size_t kMaxLength = 31;

    uint32_t major = 0;
    uint32_t minor = 0;
    uint32_t patch = 0;
    std::vector<std::string> prerelease;  // dot-separated identifiers, empty = release
    std::string build;                    // ignored for precedence

    static std::optional<SemVer> parse(std::string_view text);
    std::string to_string() const;
};

// <0, 0, >0 like strcmp, by semver precedence.
int compare(const SemVer& a, const SemVer& b);
inline bool operator<(const SemVer& a, const SemVer& b) { return compare(a, b) < 0; }
inline bool operator>(const SemVer& a, const SemVer& b) { return compare(a, b) > 0; }
inline bool operator==(const SemVer& a, const SemVer& b) { return compare(a, b) == 0; }
inline bool operator!=(const SemVer& a, const SemVer& b) { return compare(a, b) != 0; }

}  // namespace secure_ota::ota
