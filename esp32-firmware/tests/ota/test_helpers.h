// Shared fixtures of the OTA engine tests: the openssl-made PKI, an ES256 signer that shells
// out to the openssl CLI (so signatures come from an independent implementation), scripted
// streams and clocks.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "secure_ota/ota/secure_stream.h"

namespace ota_test {

std::string pki(const std::string& name);  // path of a file made by fixtures/gen_pki.sh
std::string read_file(const std::string& path);
// Runs a shell command; returns its exit status and stdout.
int run(const std::string& command, std::string* out = nullptr);

// ES256 over `input` with the openssl CLI, converted from DER to raw r||s (64 bytes).
std::vector<uint8_t> openssl_es256_sign(const std::string& key_pem_path, const std::string& input);

// The manifest payload fields, with defaults that a device on 1.0.0 accepts.
struct ManifestFields {
    std::map<std::string, std::string> strings{
        {"product", "shop-display"}, {"version", "2.0.0"}, {"url", "/firmware/shop-display-2.0.0.bin"},
        {"sha256", std::string(64, 'a')}};
    std::map<std::string, int64_t> ints{{"v", 1}, {"secure_version", 1}, {"size", 4096},
                                        {"issued_at", 1764000000}, {"expires_at", 1766592000}, {"counter", 3}};
    std::string to_json() const;
};

// The lab's signers write low-s ES256 signatures (docs/manifest.md); s > n/2 is the malleated twin.
bool is_high_s(const uint8_t* s32);
void negate_s(uint8_t* s32);  // s := n - s
// The kid of fixtures' signing-pub.pem: first 16 hex digits of SHA-256(SubjectPublicKeyInfo DER).
const std::string& signing_kid();

std::string b64(const std::string& s);
std::string header_json(const std::string& alg = "ES256");
// header.payload.signature with the given key file.
std::string make_jws(const std::string& header, const std::string& payload, const std::string& key = pki("signing-key.pem"));
std::string hex(const uint8_t* p, size_t n);

// A clock that only moves when told to (or by `step_per_read` on each scripted read).
class FakeClock : public secure_ota::ota::Clock {
public:
    uint64_t now = 1000;
    uint64_t monotonic_ms() override { return now; }
};

class FixedTime : public secure_ota::ota::TrustedTime {
public:
    std::optional<int64_t> t = 1765000000;
    std::optional<int64_t> unix_time() override { return t; }
};

// A stream that replays a script: data chunks, timeouts, close, error.
class ScriptedStream : public secure_ota::ota::SecureStream {
public:
    struct Event {
        enum Kind { Data, Timeout, Close, Error } kind;
        std::string data;
        uint64_t advance_ms = 0;  // added to the clock when this event is consumed
    };
    explicit ScriptedStream(FakeClock* clock = nullptr) : clock_(clock) {}
    void data(const std::string& d, uint64_t advance = 0) { events.push_back({Event::Data, d, advance}); }
    void timeout(uint64_t advance = 0) { events.push_back({Event::Timeout, {}, advance}); }
    void close_stream() { events.push_back({Event::Close, {}, 0}); }
    // An endless source: after the script, return `endless` forever (empty = Closed).
    std::string endless;

    secure_ota::ota::StreamResult read(uint8_t* out, size_t cap, uint32_t timeout_ms) override;
    secure_ota::ota::StreamResult write(const uint8_t* data, size_t len, uint32_t) override {
        written.append(reinterpret_cast<const char*>(data), len);
        return {secure_ota::ota::StreamStatus::Ok, len};
    }
    void close() override { closed = true; }

    std::deque<Event> events;
    std::string written;
    bool closed = false;
    size_t bytes_read = 0;
    std::vector<uint32_t> timeouts_seen;

private:
    FakeClock* clock_;
};

}  // namespace ota_test
