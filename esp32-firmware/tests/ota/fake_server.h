// An in-memory OTA server behind the Connector interface: it parses the device's requests
// and answers like the real server (manifest API, /firmware with Range/206, report), with
// fault switches for the attack and reliability tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "secure_ota/ota/secure_stream.h"
#include "test_helpers.h"

namespace ota_test {

struct FakeServer {
    // content
    std::string manifest;          // JWS body
    int manifest_status = 200;
    std::vector<uint8_t> image;    // served at image_path
    std::string image_path = "/firmware/shop-display-2.0.0.bin";
    std::string api_key = "key-123";

    // faults, by image request number (1-based)
    std::map<int, size_t> cut_image_after_body;   // close after N body bytes
    std::map<int, size_t> stall_image_after_body; // stop sending (read timeouts) after N body bytes
    std::map<int, size_t> cut_image_in_head;      // close after N head bytes
    std::optional<size_t> flip_byte;              // served image has this byte XOR 0x01
    bool ignore_range = false;                    // answer 200 with the whole file to Range
    long content_range_shift = 0;                 // 206 whose Content-Range names first+shift (body from first)
    bool lie_content_length = false;              // Content-Length one more than the body sent
    std::string extra_after_body;                 // bytes sent after the declared body
    std::optional<secure_ota::ota::Outcome> refuse_connect;  // connector fails every connect
    int refuse_connect_from = 1;                  // ... starting with this connection number

    // observations
    int connections = 0;
    int image_requests = 0;
    uint64_t image_body_bytes_sent = 0;
    std::vector<std::string> requests;  // request heads
    std::vector<std::string> reports;   // report bodies

    FakeClock* clock = nullptr;
    uint64_t ms_per_segment = 1;  // clock advance per segment read: the link's speed
};

class FakeServerStream : public secure_ota::ota::SecureStream {
public:
    explicit FakeServerStream(FakeServer& s) : s_(s) {}
    secure_ota::ota::StreamResult read(uint8_t* out, size_t cap, uint32_t timeout_ms) override;
    secure_ota::ota::StreamResult write(const uint8_t* data, size_t len, uint32_t timeout_ms) override;
    void close() override { closed_ = true; }

private:
    void respond();
    FakeServer& s_;
    std::string in_;
    std::string out_;
    size_t sent_ = 0;
    size_t close_at_ = SIZE_MAX;  // close the stream when sent_ reaches this
    size_t stall_at_ = SIZE_MAX;
    size_t body_start_ = 0;
    bool is_image_ = false;
    bool responded_ = false;
    bool closed_ = false;
};

class FakeConnector : public secure_ota::ota::Connector {
public:
    explicit FakeConnector(FakeServer& s) : s_(s) {}
    secure_ota::ota::ConnectResult connect(const std::string& host, uint16_t port, uint32_t timeout_ms) override;

private:
    FakeServer& s_;
};

}  // namespace ota_test
