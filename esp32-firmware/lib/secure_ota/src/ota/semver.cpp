#include "secure_ota/ota/semver.h"

namespace secure_ota::ota {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool all_digits(std::string_view s) {
    for (char c : s)
        if (!is_digit(c)) return false;
    return !s.empty();
}

bool parse_number(std::string_view s, uint32_t& out) {
    if (!all_digits(s)) return false;
    if (s.size() > 1 && s[0] == '0') return false;
    uint64_t v = 0;
    for (char c : s) {
        v = v * 10 + uint64_t(c - '0');
        if (v > 0xFFFFFFFFull) return false;
    }
    out = uint32_t(v);
    return true;
}

// Splits on '.', every identifier non-empty and made of [0-9A-Za-z-].
bool split_identifiers(std::string_view s, std::vector<std::string>& out, bool numeric_no_leading_zero) {
    out.clear();
    size_t start = 0;
    for (;;) {
        size_t dot = s.find('.', start);
        std::string_view id = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (id.empty()) return false;
        for (char c : id)
            if (!is_ident_char(c)) return false;
        if (numeric_no_leading_zero && all_digits(id) && id.size() > 1 && id[0] == '0') return false;
        out.emplace_back(id);
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

int compare_identifier(const std::string& a, const std::string& b) {
    bool an = all_digits(a), bn = all_digits(b);
    if (an && bn) {
        if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;  // no leading zeros
        int c = a.compare(b);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (an) return -1;  // numeric identifiers have lower precedence
    if (bn) return 1;
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<SemVer> SemVer::parse(std::string_view text) {
    if (text.empty() || text.size() > kMaxLength) return std::nullopt;
    SemVer v;
    std::string_view core = text;
    size_t plus = text.find('+');
    if (plus != std::string_view::npos) {
        std::vector<std::string> ids;
        if (!split_identifiers(text.substr(plus + 1), ids, false)) return std::nullopt;
        v.build = std::string(text.substr(plus + 1));
        core = text.substr(0, plus);
    }
    size_t dash = core.find('-');
    if (dash != std::string_view::npos) {
        if (!split_identifiers(core.substr(dash + 1), v.prerelease, true)) return std::nullopt;
        core = core.substr(0, dash);
    }
    size_t d1 = core.find('.');
    if (d1 == std::string_view::npos) return std::nullopt;
    size_t d2 = core.find('.', d1 + 1);
    if (d2 == std::string_view::npos) return std::nullopt;
    if (!parse_number(core.substr(0, d1), v.major) || !parse_number(core.substr(d1 + 1, d2 - d1 - 1), v.minor) ||
        !parse_number(core.substr(d2 + 1), v.patch))
        return std::nullopt;
    return v;
}

std::string SemVer::to_string() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    for (size_t i = 0; i < prerelease.size(); ++i) s += (i == 0 ? "-" : ".") + prerelease[i];
    if (!build.empty()) s += "+" + build;
    return s;
}

int compare(const SemVer& a, const SemVer& b) {
    if (a.major != b.major) return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
    if (a.prerelease.empty() || b.prerelease.empty()) {
        if (a.prerelease.empty() && b.prerelease.empty()) return 0;
        return a.prerelease.empty() ? 1 : -1;  // a release outranks its pre-releases
    }
    size_t n = a.prerelease.size() < b.prerelease.size() ? a.prerelease.size() : b.prerelease.size();
    for (size_t i = 0; i < n; ++i) {
        int c = compare_identifier(a.prerelease[i], b.prerelease[i]);
        if (c != 0) return c;
    }
    if (a.prerelease.size() == b.prerelease.size()) return 0;
    return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
}

}  // namespace secure_ota::ota
