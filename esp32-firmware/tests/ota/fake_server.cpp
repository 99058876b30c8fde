#include "fake_server.h"

#include <algorithm>
#include <cstring>

namespace ota_test {
using namespace secure_ota::ota;

ConnectResult FakeConnector::connect(const std::string&, uint16_t, uint32_t) {
    ConnectResult r;
    ++s_.connections;
    if (s_.refuse_connect && s_.connections >= s_.refuse_connect_from) {
        r.failure = *s_.refuse_connect;
        return r;
    }
    r.stream = std::make_unique<FakeServerStream>(s_);
    return r;
}

StreamResult FakeServerStream::write(const uint8_t* data, size_t len, uint32_t) {
    if (closed_) return {StreamStatus::Closed, 0};
    in_.append(reinterpret_cast<const char*>(data), len);
    size_t end = in_.find("\r\n\r\n");
    if (!responded_ && end != std::string::npos) {
        size_t cl = 0;
        size_t p = in_.find("Content-Length: ");
        if (p != std::string::npos && p < end) cl = std::stoul(in_.substr(p + 16));
        if (in_.size() >= end + 4 + cl) respond();
    }
    return {StreamStatus::Ok, len};
}

void FakeServerStream::respond() {
    responded_ = true;
    size_t end = in_.find("\r\n\r\n");
    std::string head = in_.substr(0, end);
    s_.requests.push_back(head);
    auto header = [&](const std::string& name) -> std::string {
        size_t p = head.find("\r\n" + name + ": ");
        if (p == std::string::npos) return "";
        p += name.size() + 4;
        return head.substr(p, head.find("\r\n", p) - p);
    };
    std::string line = head.substr(0, head.find("\r\n"));
    std::string target = line.substr(line.find(' ') + 1);
    target = target.substr(0, target.find(' '));
    bool lie = false;
    auto reply = [&](int status, const std::string& reason, const std::string& body, const std::string& extra = "") {
        out_ = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extra;
        if (status != 204) out_ += "Content-Length: " + std::to_string(body.size() + (lie ? 1 : 0)) + "\r\n";
        out_ += "\r\n";
        body_start_ = out_.size();
        out_ += body;
    };
    bool authorized = header("Authorization") == "Bearer " + s_.api_key;
    if (target.rfind("/api/v1/manifest?", 0) == 0) {
        if (!authorized) return reply(401, "Unauthorized", "");
        if (s_.manifest_status == 204) return reply(204, "No Content", "");
        return reply(s_.manifest_status, "OK", s_.manifest, "Content-Type: application/jose\r\n");
    }
    if (target.rfind("/api/v1/devices/", 0) == 0) {
        s_.reports.push_back(in_.substr(end + 4));
        return reply(204, "No Content", "");
    }
    if (target != s_.image_path) return reply(404, "Not Found", "no such file");
    int n = ++s_.image_requests;
    is_image_ = true;
    std::string file(s_.image.begin(), s_.image.end());
    if (s_.flip_byte && *s_.flip_byte < file.size()) file[*s_.flip_byte] ^= 0x01;
    lie = s_.lie_content_length;
    std::string range = header("Range");
    size_t first = 0;
    if (!range.empty() && !s_.ignore_range) {
        first = std::stoul(range.substr(6));
        std::string body = file.substr(first);
        reply(206, "Partial Content", body,
              "Content-Range: bytes " + std::to_string(long(first) + s_.content_range_shift) + "-" + std::to_string(file.size() - 1) + "/" +
                  std::to_string(file.size()) + "\r\n");
    } else {
        reply(200, "OK", file);
    }
    out_ += s_.extra_after_body;
    if (s_.cut_image_after_body.count(n)) close_at_ = body_start_ + s_.cut_image_after_body[n];
    if (s_.stall_image_after_body.count(n)) stall_at_ = body_start_ + s_.stall_image_after_body[n];
    if (s_.cut_image_in_head.count(n)) close_at_ = s_.cut_image_in_head[n];
}

StreamResult FakeServerStream::read(uint8_t* out, size_t cap, uint32_t timeout_ms) {
    if (closed_ || !responded_) return {StreamStatus::Closed, 0};
    size_t limit = std::min({out_.size(), close_at_, stall_at_});
    if (sent_ >= limit) {
        if (sent_ >= stall_at_ && sent_ < out_.size()) {
            if (s_.clock) s_.clock->now += timeout_ms;
            return {StreamStatus::Timeout, 0};
        }
        return {StreamStatus::Closed, 0};
    }
    size_t n = std::min(cap, limit - sent_);
    n = std::min<size_t>(n, 1500);  // like TLS records / TCP segments
    std::memcpy(out, out_.data() + sent_, n);
    if (is_image_) {
        size_t b0 = std::max(sent_, body_start_), b1 = sent_ + n;
        if (b1 > b0) s_.image_body_bytes_sent += b1 - b0;
    }
    sent_ += n;
    if (s_.clock) s_.clock->now += s_.ms_per_segment;
    return {StreamStatus::Ok, n};
}

}  // namespace ota_test
