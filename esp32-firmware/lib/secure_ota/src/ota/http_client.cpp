#include "secure_ota/ota/http_client.h"

#include <algorithm>

namespace secure_ota::ota {

namespace {
// How long the client looks for bytes after a complete body (see exchange()).
constexpr uint32_t kLookPastBodyMs = 200;
}  // namespace

namespace {

bool is_tchar(unsigned char c) {  // RFC 9110 token characters
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
        case '-': case '.': case '^': case '_': case '`': case '|': case '~': return true;
        default: return false;
    }
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

// Decimal digits only, no sign, no spaces, fits in uint64 (19 digits at most).
bool parse_u64(const std::string& s, uint64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + uint64_t(c - '0');
    }
    out = v;
    return true;
}

bool safe_header_text(const std::string& s) {
    for (unsigned char c : s)
        if (c == '\r' || c == '\n' || c == 0) return false;
    return true;
}

}  // namespace

const char* to_string(HttpError e) {
    switch (e) {
        case HttpError::Ok: return "ok";
        case HttpError::ConnectionLost: return "connection lost";
        case HttpError::Timeout: return "timeout";
        case HttpError::Malformed: return "malformed response";
        case HttpError::TooLarge: return "response over limits";
        case HttpError::Aborted: return "aborted by the receiver";
        case HttpError::BadRequest: return "invalid request";
    }
    return "unknown";
}

const std::string* HttpResponseHead::header(const std::string& name) const {
    for (const auto& h : headers)
        if (h.first == name) return &h.second;
    return nullptr;
}

bool parse_content_range(const std::string& value, ContentRange& out) {
    const std::string prefix = "bytes ";
    if (value.compare(0, prefix.size(), prefix) != 0) return false;
    size_t dash = value.find('-', prefix.size());
    size_t slash = value.find('/', prefix.size());
    if (dash == std::string::npos || slash == std::string::npos || dash > slash) return false;
    ContentRange r;
    if (!parse_u64(value.substr(prefix.size(), dash - prefix.size()), r.first) ||
        !parse_u64(value.substr(dash + 1, slash - dash - 1), r.last) || !parse_u64(value.substr(slash + 1), r.total))
        return false;
    if (r.first > r.last || r.last >= r.total) return false;
    out = r;
    return true;
}

bool HttpHeadParser::fail(HttpError e, std::string why) {
    state_ = State::Error;
    error_ = e;
    detail_ = std::move(why);
    return false;
}

size_t HttpHeadParser::feed(const uint8_t* data, size_t length) {
    size_t i = 0;
    while (i < length && (state_ == State::StatusLine || state_ == State::Headers)) {
        unsigned char c = data[i++];
        if (++total_ > limits_.max_header_bytes) {
            fail(HttpError::TooLarge, "response head exceeds " + std::to_string(limits_.max_header_bytes) + " bytes");
            break;
        }
        if (saw_cr_) {
            if (c != '\n') {
                fail(HttpError::Malformed, "bare CR in response head");
                break;
            }
            saw_cr_ = false;
            if (!line_done()) break;
            line_.clear();
            continue;
        }
        if (c == '\r') {
            saw_cr_ = true;
            continue;
        }
        if (c == '\n') {
            fail(HttpError::Malformed, "bare LF in response head (CRLF required)");
            break;
        }
        if (c == 0) {
            fail(HttpError::Malformed, "NUL in response head");
            break;
        }
        if (line_.size() >= limits_.max_line) {
            fail(HttpError::TooLarge, "header line exceeds " + std::to_string(limits_.max_line) + " bytes");
            break;
        }
        line_ += char(c);
    }
    return i;
}

bool HttpHeadParser::line_done() {
    if (state_ == State::StatusLine) return parse_status_line();
    if (line_.empty()) {
        state_ = State::Done;
        return true;
    }
    return parse_header_line();
}

bool HttpHeadParser::parse_status_line() {
    // HTTP/1.x SP 3DIGIT SP reason (the reason may be empty, the SP before it may not... but
    // some servers omit it: accept "HTTP/1.1 204" too).
    if (line_.size() < 12 || (line_.compare(0, 9, "HTTP/1.1 ") != 0 && line_.compare(0, 9, "HTTP/1.0 ") != 0))
        return fail(HttpError::Malformed, "not an HTTP/1.x status line");
    for (int k = 9; k < 12; ++k)
        if (line_[k] < '0' || line_[k] > '9') return fail(HttpError::Malformed, "status code is not 3 digits");
    if (line_.size() > 12 && line_[12] != ' ') return fail(HttpError::Malformed, "garbage after status code");
    head_.status = (line_[9] - '0') * 100 + (line_[10] - '0') * 10 + (line_[11] - '0');
    if (head_.status < 100) return fail(HttpError::Malformed, "status code below 100");
    head_.reason = line_.size() > 13 ? line_.substr(13) : std::string();
    for (unsigned char c : head_.reason)
        if (c < 0x20 && c != '\t') return fail(HttpError::Malformed, "control character in reason phrase");
    state_ = State::Headers;
    return true;
}

bool HttpHeadParser::parse_header_line() {
    if (line_[0] == ' ' || line_[0] == '\t') return fail(HttpError::Malformed, "obsolete line folding");
    if (head_.headers.size() >= limits_.max_headers)
        return fail(HttpError::TooLarge, "more than " + std::to_string(limits_.max_headers) + " headers");
    size_t colon = line_.find(':');
    if (colon == std::string::npos || colon == 0) return fail(HttpError::Malformed, "header line without a name");
    for (size_t k = 0; k < colon; ++k)
        if (!is_tchar(static_cast<unsigned char>(line_[k]))) return fail(HttpError::Malformed, "invalid header name");
    std::string name = lower(line_.substr(0, colon));
    size_t b = colon + 1, e = line_.size();
    while (b < e && (line_[b] == ' ' || line_[b] == '\t')) ++b;
    while (e > b && (line_[e - 1] == ' ' || line_[e - 1] == '\t')) --e;
    std::string value = line_.substr(b, e - b);
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7F) return fail(HttpError::Malformed, "control character in header value");
    if (name == "content-length") {
        uint64_t n;
        if (!parse_u64(value, n)) return fail(HttpError::Malformed, "invalid Content-Length \"" + value.substr(0, 40) + "\"");
        if (head_.content_length && *head_.content_length != n)
            return fail(HttpError::Malformed, "conflicting Content-Length headers");
        head_.content_length = n;
    } else if (name == "transfer-encoding") {
        head_.has_transfer_encoding = true;
    }
    head_.headers.emplace_back(std::move(name), std::move(value));
    return true;
}

std::string HttpClient::serialize(const HttpRequest& r) {
    if (r.method != "GET" && r.method != "POST") return {};
    if (r.target.empty() || r.target[0] != '/' || r.host.empty()) return {};
    for (unsigned char c : r.target)
        if (c <= 0x20 || c >= 0x7F) return {};
    if (!safe_header_text(r.host) || r.host.find_first_of(" /") != std::string::npos) return {};
    std::string host = r.host.find(':') != std::string::npos ? "[" + r.host + "]" : r.host;  // IPv6 literal
    if (r.port != 443) host += ":" + std::to_string(r.port);
    std::string out = r.method + " " + r.target + " HTTP/1.1\r\nHost: " + host +
                      "\r\nUser-Agent: secure-ota/1\r\nAccept-Encoding: identity\r\nConnection: close\r\n";
    for (const auto& h : r.headers) {
        if (h.first.empty() || !safe_header_text(h.second)) return {};
        for (unsigned char c : h.first)
            if (!is_tchar(c)) return {};
        out += h.first + ": " + h.second + "\r\n";
    }
    if (r.method == "POST") {
        if (!safe_header_text(r.content_type)) return {};
        out += "Content-Type: " + (r.content_type.empty() ? std::string("application/json") : r.content_type) + "\r\n";
        out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    }
    out += "\r\n";
    out += r.body;
    return out;
}

HttpResult HttpClient::exchange(SecureStream& stream, const HttpRequest& request, uint64_t max_body, const BodySink& sink,
                                uint64_t deadline_ms, const HeadCheck& check) {
    HttpResult res;
    auto fail = [&res](HttpError e, std::string why) {
        res.error = e;
        res.detail = std::move(why);
        return res;
    };
    auto timeout_left = [&](uint32_t& t) {
        uint64_t now = clock_.monotonic_ms();
        if (now >= deadline_ms) return false;
        t = uint32_t(std::min<uint64_t>(limits_.read_timeout_ms, deadline_ms - now));
        return true;
    };

    std::string wire = serialize(request);
    if (wire.empty()) return fail(HttpError::BadRequest, "request has invalid characters or fields");
    uint32_t t;
    if (!timeout_left(t)) return fail(HttpError::Timeout, "deadline passed before the request");
    StreamResult w = stream.write(reinterpret_cast<const uint8_t*>(wire.data()), wire.size(), t);
    if (w.status == StreamStatus::Timeout) return fail(HttpError::Timeout, "request write timed out");
    if (w.status != StreamStatus::Ok || w.bytes != wire.size()) return fail(HttpError::ConnectionLost, "request write failed");

    HttpHeadParser parser(limits_);
    uint8_t buf[2048];
    size_t have = 0, used = 0;  // bytes in buf / consumed by the head parser
    while (parser.state() != HttpHeadParser::State::Done) {
        if (!timeout_left(t)) return fail(HttpError::Timeout, "total deadline reached while reading the response head");
        StreamResult r = stream.read(buf, sizeof buf, t);
        if (r.status == StreamStatus::Timeout) return fail(HttpError::Timeout, "no response head within the read timeout");
        if (r.status != StreamStatus::Ok || r.bytes == 0 || r.bytes > sizeof buf) {
            std::string why = r.status == StreamStatus::Error ? stream.error_detail() : std::string();
            return fail(HttpError::ConnectionLost, "connection closed in the response head" + (why.empty() ? "" : ": " + why));
        }
        have = r.bytes;
        used = parser.feed(buf, have);
        if (parser.state() == HttpHeadParser::State::Error) {
            res.head = parser.head();
            return fail(parser.error(), parser.error_detail());
        }
    }
    res.head = parser.head();
    const HttpResponseHead& h = res.head;
    if (h.status < 200) return fail(HttpError::Malformed, "unexpected interim response " + std::to_string(h.status));
    if (h.has_transfer_encoding)
        return fail(HttpError::Malformed, "Transfer-Encoding is not supported; the server must send Content-Length");
    if (check && !check(h)) return fail(HttpError::Aborted, "response head refused by the receiver");
    if (h.status == 204 || h.status == 304) return res;  // no body by definition
    if (!h.content_length) return fail(HttpError::Malformed, "response without Content-Length");
    uint64_t remaining = *h.content_length;
    if (remaining > max_body)
        return fail(HttpError::TooLarge, "body of " + std::to_string(remaining) + " bytes exceeds " + std::to_string(max_body));

    // Body bytes that came with the head; anything beyond Content-Length is ignored (and counted).
    size_t extra = std::min<uint64_t>(have - used, remaining);
    res.bytes_after_body = (have - used) - extra;
    if (extra > 0) {
        if (sink && !sink(buf + used, extra)) return fail(HttpError::Aborted, "receiver refused the body");
        remaining -= extra;
        res.body_received += extra;
    }
    while (remaining > 0) {
        if (!timeout_left(t)) return fail(HttpError::Timeout, "total deadline reached in the body");
        size_t want = size_t(std::min<uint64_t>(remaining, sizeof buf));
        StreamResult r = stream.read(buf, want, t);
        if (r.status == StreamStatus::Timeout) return fail(HttpError::Timeout, "body stalled longer than the read timeout");
        if (r.status != StreamStatus::Ok || r.bytes == 0 || r.bytes > want) {
            std::string why = r.status == StreamStatus::Error ? stream.error_detail() : std::string();
            return fail(HttpError::ConnectionLost, "connection closed after " + std::to_string(res.body_received) + " of " +
                                                       std::to_string(*h.content_length) + " body bytes" +
                                                       (why.empty() ? "" : ": " + why));
        }
        if (sink && !sink(buf, r.bytes)) return fail(HttpError::Aborted, "receiver refused the body");
        remaining -= r.bytes;
        res.body_received += r.bytes;
    }
    // One short look past the body: the device sent "Connection: close", so an honest server
    // closes here and the read ends at once. Bytes found are not used, only counted, so that
    // the device can say so (harmless, but a server that pads its answers is worth a line).
    if (res.bytes_after_body == 0) {
        uint32_t look = kLookPastBodyMs;
        if (timeout_left(look) && look > 0) {
            StreamResult r = stream.read(buf, sizeof buf, std::min(look, kLookPastBodyMs));
            if (r.status == StreamStatus::Ok && r.bytes <= sizeof buf) res.bytes_after_body = r.bytes;
        }
    }
    return res;
}

bool parse_https_url(const std::string& url, ServerUrl& out, std::string& error) {
    const std::string scheme = "https://";
    if (url.compare(0, scheme.size(), scheme) != 0) {
        error = "server URL must start with https://";
        return false;
    }
    std::string rest = url.substr(scheme.size());
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    if (rest.empty() || rest.size() > 253 || rest.find_first_of("/?#@ \t\r\n") != std::string::npos) {
        error = "server URL must be https://host[:port]";
        return false;
    }
    ServerUrl u;
    std::string port;
    if (rest[0] == '[') {
        size_t close = rest.find(']');
        if (close == std::string::npos || close == 1) {
            error = "bad IPv6 literal";
            return false;
        }
        u.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                error = "garbage after IPv6 literal";
                return false;
            }
            port = rest.substr(close + 2);
            if (port.empty()) {
                error = "empty port";
                return false;
            }
        }
    } else {
        size_t colon = rest.find(':');
        u.host = rest.substr(0, colon);
        if (colon != std::string::npos) {
            port = rest.substr(colon + 1);
            if (port.empty()) {
                error = "empty port";
                return false;
            }
        }
    }
    if (u.host.empty()) {
        error = "empty host";
        return false;
    }
    if (!port.empty()) {
        uint64_t p;
        if (!parse_u64(port, p) || p == 0 || p > 65535) {
            error = "invalid port";
            return false;
        }
        u.port = uint16_t(p);
    }
    out = u;
    return true;
}

std::string url_encode_component(const std::string& s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace secure_ota::ota
