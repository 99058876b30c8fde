#include "test_helpers.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "secure_ota/ota/base64url.h"

namespace ota_test {

std::string pki(const std::string& name) { return std::string(OTA_PKI_DIR) + "/" + name; }

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

int run(const std::string& command, std::string* out) {
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return -1;
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    int rc = ::pclose(p);
    if (out) *out = text;
    return rc;
}

namespace {
// Reads one DER INTEGER into 32 big-endian bytes.
size_t der_int(const std::string& d, size_t at, uint8_t* out32) {
    if (at + 2 > d.size() || uint8_t(d[at]) != 0x02) throw std::runtime_error("bad DER signature");
    size_t len = uint8_t(d[at + 1]);
    const uint8_t* v = reinterpret_cast<const uint8_t*>(d.data()) + at + 2;
    while (len > 32 && *v == 0) {
        ++v;
        --len;
    }
    if (len > 32) throw std::runtime_error("DER integer too long");
    std::memset(out32, 0, 32);
    std::memcpy(out32 + 32 - len, v, len);
    return at + 2 + uint8_t(d[at + 1]);
}
}  // namespace

std::vector<uint8_t> openssl_es256_sign(const std::string& key, const std::string& input) {
    char tmpl[] = "/tmp/ota-sign-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) throw std::runtime_error("mkstemp");
    if (::write(fd, input.data(), input.size()) != ssize_t(input.size())) throw std::runtime_error("write");
    ::close(fd);
    std::string in = tmpl, sig = in + ".sig";
    int rc = run(std::string(OPENSSL_EXE) + " dgst -sha256 -sign '" + key + "' -out '" + sig + "' '" + in + "' 2>&1");
    std::string der = read_file(sig);
    ::unlink(in.c_str());
    ::unlink(sig.c_str());
    if (rc != 0 || der.size() < 8 || uint8_t(der[0]) != 0x30) throw std::runtime_error("openssl dgst -sign failed");
    std::vector<uint8_t> raw(64);
    size_t at = der_int(der, 2, raw.data());
    der_int(der, at, raw.data() + 32);
    // OpenSSL leaves s as it comes; the lab's signers (and docs/manifest.md) write low-s only,
    // and devices refuse the high-s twin: use n - s when s > n/2.
    if (is_high_s(raw.data() + 32)) negate_s(raw.data() + 32);
    return raw;
}

namespace {
const uint8_t kOrder[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                            0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
}  // namespace

bool is_high_s(const uint8_t* s) {
    // s > n/2  <=>  2s > n  (n is odd)
    uint8_t twice[33] = {0};
    unsigned carry = 0;
    for (int i = 31; i >= 0; --i) {
        unsigned v = (unsigned(s[i]) << 1) | carry;
        twice[i + 1] = uint8_t(v);
        carry = v >> 8;
    }
    twice[0] = uint8_t(carry);
    if (twice[0]) return true;
    for (size_t i = 0; i < 32; ++i)
        if (twice[i + 1] != kOrder[i]) return twice[i + 1] > kOrder[i];
    return false;
}

void negate_s(uint8_t* s) {
    int borrow = 0;
    for (int i = 31; i >= 0; --i) {
        int v = int(kOrder[i]) - int(s[i]) - borrow;
        borrow = v < 0;
        s[i] = uint8_t(v + (borrow ? 256 : 0));
    }
}

const std::string& signing_kid() {
    static const std::string kid = [] {
        std::string out;
        run(std::string(OPENSSL_EXE) + " pkey -pubin -in '" + pki("signing-pub.pem") +
                "' -outform DER 2>/dev/null | sha256sum | cut -c1-16",
            &out);
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return out;
    }();
    return kid;
}

std::string ManifestFields::to_json() const {
    std::string j = "{";
    bool first = true;
    for (const auto& [k, v] : ints) {
        j += (first ? "\"" : ",\"") + k + "\":" + std::to_string(v);
        first = false;
    }
    for (const auto& [k, v] : strings) {
        j += (first ? "\"" : ",\"") + k + "\":\"" + v + "\"";
        first = false;
    }
    return j + "}";
}

std::string b64(const std::string& s) { return secure_ota::ota::base64url_encode(s); }

std::string header_json(const std::string& alg) {
    return "{\"alg\":\"" + alg + "\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + signing_kid() + "\"}";
}

std::string make_jws(const std::string& header, const std::string& payload, const std::string& key) {
    std::string input = b64(header) + "." + b64(payload);
    auto sig = openssl_es256_sign(key, input);
    return input + "." + secure_ota::ota::base64url_encode(sig.data(), sig.size());
}

std::string hex(const uint8_t* p, size_t n) {
    static const char h[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) {
        s += h[p[i] >> 4];
        s += h[p[i] & 15];
    }
    return s;
}

secure_ota::ota::StreamResult ScriptedStream::read(uint8_t* out, size_t cap, uint32_t timeout_ms) {
    using secure_ota::ota::StreamStatus;
    timeouts_seen.push_back(timeout_ms);
    if (events.empty()) {
        if (endless.empty()) return {StreamStatus::Closed, 0};
        size_t n = std::min(cap, endless.size());
        std::memcpy(out, endless.data(), n);
        bytes_read += n;
        if (clock_) clock_->now += 1;
        return {StreamStatus::Ok, n};
    }
    Event& e = events.front();
    if (clock_) clock_->now += e.advance_ms;
    e.advance_ms = 0;
    switch (e.kind) {
        case Event::Timeout:
            events.pop_front();
            if (clock_) clock_->now += timeout_ms;
            return {StreamStatus::Timeout, 0};
        case Event::Close:
            events.pop_front();
            return {StreamStatus::Closed, 0};
        case Event::Error:
            events.pop_front();
            return {StreamStatus::Error, 0};
        case Event::Data: {
            size_t n = std::min(cap, e.data.size());
            std::memcpy(out, e.data.data(), n);
            e.data.erase(0, n);
            if (e.data.empty()) events.pop_front();
            bytes_read += n;
            return {StreamStatus::Ok, n};
        }
    }
    return {StreamStatus::Error, 0};
}

}  // namespace ota_test
