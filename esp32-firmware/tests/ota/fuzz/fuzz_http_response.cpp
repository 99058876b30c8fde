// libFuzzer target: the HTTP/1.1 response parser and body handling, fed through a stream
// that splits the input at fuzzer-chosen points.
//   ./fuzz_http_response -max_total_time=600 corpus/   (see docs/ota-verdicts.md)
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "secure_ota/ota/http_client.h"

namespace {
using namespace secure_ota::ota;

class Clock0 : public Clock {
public:
    uint64_t now = 0;
    uint64_t monotonic_ms() override { return now += 1; }
};

class FuzzStream : public SecureStream {
public:
    FuzzStream(const uint8_t* d, size_t n, size_t chunk) : d_(d), n_(n), chunk_(chunk ? chunk : 1) {}
    StreamResult read(uint8_t* out, size_t cap, uint32_t) override {
        if (at_ >= n_) return {StreamStatus::Closed, 0};
        size_t k = cap < chunk_ ? cap : chunk_;
        if (k > n_ - at_) k = n_ - at_;
        std::memcpy(out, d_ + at_, k);
        at_ += k;
        return {StreamStatus::Ok, k};
    }
    StreamResult write(const uint8_t*, size_t len, uint32_t) override { return {StreamStatus::Ok, len}; }
    void close() override {}

private:
    const uint8_t* d_;
    size_t n_;
    size_t chunk_;
    size_t at_ = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    size_t chunk = data[0] % 64 + 1;
    FuzzStream s(data + 1, size - 1, chunk);
    Clock0 clock;
    HttpLimits lim;
    lim.max_header_bytes = 2048;
    lim.max_line = 256;
    lim.max_headers = 16;
    HttpClient c(clock, lim);
    HttpRequest req;
    req.host = "localhost";
    req.target = "/x";
    size_t total = 0;
    HttpResult r = c.exchange(s, req, 4096, [&](const uint8_t* p, size_t n) {
        total += n;
        volatile uint8_t sink = n ? p[n - 1] : 0;
        (void)sink;
        return total <= 4096;
    }, 1000000);
    if (r.ok() && r.head.content_length && total != *r.head.content_length && r.head.status != 204 && r.head.status != 304)
        __builtin_trap();  // the body must be exactly Content-Length bytes
    if (const std::string* v = r.head.header("content-range")) {
        ContentRange cr;
        (void)parse_content_range(*v, cr);
    }
    // The head parser alone, in one piece.
    HttpHeadParser p(lim);
    (void)p.feed(data, size);
    return 0;
}
