// A minimal HTTP/1.1 client over SecureStream: GET (with Range) and a JSON POST, one request
// per connection ("Connection: close"). It never trusts the network:
//  - status line and each header line <= max_line bytes, all header bytes <= max_header_bytes,
//    at most max_headers headers; obs-fold, bare CR/LF, NUL and non-token names are refused;
//  - a body needs Content-Length (chunked and read-to-EOF bodies are refused on purpose: the
//    OTA server always knows its lengths, and a declared length lets the device refuse an
//    oversize answer before it reads a byte of it); at most max_body bytes are accepted and
//    never more than Content-Length are read, so an endless body cannot grow anything;
//  - every read waits at most read_timeout_ms, the whole exchange ends at the deadline.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "secure_ota/ota/secure_stream.h"

namespace secure_ota::ota {

struct HttpLimits {
    size_t max_line = 1024;
    size_t max_header_bytes = 8192;
    size_t max_headers = 32;
    uint32_t read_timeout_ms = 10000;
};

enum class HttpError {
    Ok,
    ConnectionLost,  // stream closed or failed before the response was complete
    Timeout,         // read timeout or total deadline
    Malformed,       // protocol violation by the server
    TooLarge,        // header limits, or a body larger than allowed
    Aborted,         // the body sink refused the data
    BadRequest,      // the caller's request was invalid (CR/LF in a header...), nothing sent
};

const char* to_string(HttpError e);

struct ContentRange {
    uint64_t first = 0;
    uint64_t last = 0;
    uint64_t total = 0;
};

struct HttpResponseHead {
    int status = 0;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::optional<uint64_t> content_length;
    bool has_transfer_encoding = false;
    // The value of a header (first occurrence), or null. `name` in lower case.
    const std::string* header(const std::string& name) const;
};

// "bytes FIRST-LAST/TOTAL" (RFC 9110 14.4); false for anything else ("*", missing parts...).
bool parse_content_range(const std::string& value, ContentRange& out);

// Incremental parser of a response's status line and headers, fed any split of the bytes.
class HttpHeadParser {
public:
    enum class State { StatusLine, Headers, Done, Error };

    explicit HttpHeadParser(const HttpLimits& limits = HttpLimits{}) : limits_(limits) {}
    // Consumes bytes up to and including the blank line that ends the head; returns how many
    // were consumed (the rest is body). Stops consuming on Done or Error.
    size_t feed(const uint8_t* data, size_t length);
    State state() const { return state_; }
    HttpError error() const { return error_; }
    const std::string& error_detail() const { return detail_; }
    const HttpResponseHead& head() const { return head_; }

private:
    bool fail(HttpError e, std::string why);
    bool line_done();
    bool parse_status_line();
    bool parse_header_line();

    HttpLimits limits_;
    State state_ = State::StatusLine;
    HttpError error_ = HttpError::Ok;
    std::string detail_;
    std::string line_;
    bool saw_cr_ = false;
    size_t total_ = 0;
    HttpResponseHead head_;
};

struct HttpRequest {
    std::string method = "GET";                                // GET or POST
    std::string host;                                          // for the Host header
    uint16_t port = 443;
    std::string target;                                        // "/path?query"
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    std::string body;                                          // POST only
    std::string content_type;                                  // POST only
};

struct HttpResult {
    HttpError error = HttpError::Ok;
    std::string detail;
    HttpResponseHead head;
    uint64_t body_received = 0;
    // Bytes the server sent after Content-Length (never read into the body; at least this many:
    // only what came with the last read and one short look after the body are counted).
    uint64_t bytes_after_body = 0;
    bool ok() const { return error == HttpError::Ok; }
};

// Receives body bytes as they arrive; return false to abort the transfer.
using BodySink = std::function<bool(const uint8_t* data, size_t length)>;
// Sees the head before any body byte is delivered; return false to abort (HttpError::Aborted).
using HeadCheck = std::function<bool(const HttpResponseHead& head)>;

class HttpClient {
public:
    HttpClient(Clock& clock, HttpLimits limits = HttpLimits{}) : clock_(clock), limits_(limits) {}

    // Sends `request`, reads the head, then streams a body of at most `max_body` bytes to
    // `sink`. Returns when the body is complete, on error, or at `deadline_ms` (monotonic).
    // `check`, if set, runs after the head is parsed and before the body limits are applied.
    HttpResult exchange(SecureStream& stream, const HttpRequest& request, uint64_t max_body, const BodySink& sink,
                        uint64_t deadline_ms, const HeadCheck& check = HeadCheck{});

    // The bytes that exchange() sends (exposed for tests); empty when the request is invalid.
    static std::string serialize(const HttpRequest& request);

private:
    Clock& clock_;
    HttpLimits limits_;
};

// "https://host[:port][/]" (host may be a DNS name, IPv4, or [IPv6]). Plain http is refused.
struct ServerUrl {
    std::string host;  // without brackets
    uint16_t port = 443;
};
bool parse_https_url(const std::string& url, ServerUrl& out, std::string& error);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode_component(const std::string& s);

}  // namespace secure_ota::ota
