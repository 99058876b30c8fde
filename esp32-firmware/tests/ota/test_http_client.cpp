#include <gtest/gtest.h>

#include "secure_ota/ota/http_client.h"
#include "test_helpers.h"

using namespace secure_ota::ota;
using namespace ota_test;

namespace {

struct Exchange {
    HttpResult result;
    std::string body;
};

Exchange get(ScriptedStream& s, FakeClock& clock, uint64_t max_body = 1 << 20, HttpLimits lim = HttpLimits{},
             uint64_t deadline = 1000000) {
    HttpClient c(clock, lim);
    HttpRequest req;
    req.host = "localhost";
    req.port = 8443;
    req.target = "/firmware/a.bin";
    req.headers.emplace_back("Range", "bytes=10-19");
    Exchange e;
    e.result = c.exchange(s, req, max_body, [&](const uint8_t* p, size_t n) {
        e.body.append(reinterpret_cast<const char*>(p), n);
        return true;
    }, deadline);
    return e;
}

const std::string kResponse =
    "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 10-19/20\r\n"
    "Content-Length: 10\r\nX-Empty:\r\n\r\n0123456789";

}  // namespace

TEST(HttpClient, SendsAWellFormedRequest) {
    FakeClock clock;
    ScriptedStream s(&clock);
    s.data(kResponse);
    Exchange e = get(s, clock);
    ASSERT_TRUE(e.result.ok()) << e.result.detail;
    EXPECT_EQ(s.written,
              "GET /firmware/a.bin HTTP/1.1\r\nHost: localhost:8443\r\nUser-Agent: secure-ota/1\r\n"
              "Accept-Encoding: identity\r\nConnection: close\r\nRange: bytes=10-19\r\n\r\n");
    EXPECT_EQ(e.result.head.status, 206);
    EXPECT_EQ(*e.result.head.header("content-range"), "bytes 10-19/20");
    EXPECT_EQ(*e.result.head.header("x-empty"), "");
    EXPECT_EQ(e.body, "0123456789");
}

TEST(HttpClient, ParsesTheSameAtEverySplit) {
    // Every split of the response into two reads, and byte-by-byte delivery, give one result.
    for (size_t cut = 0; cut <= kResponse.size(); ++cut) {
        FakeClock clock;
        ScriptedStream s(&clock);
        if (cut > 0) s.data(kResponse.substr(0, cut));
        if (cut < kResponse.size()) s.data(kResponse.substr(cut));
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok()) << "cut " << cut << ": " << e.result.detail;
        EXPECT_EQ(e.body, "0123456789") << cut;
        EXPECT_EQ(*e.result.head.content_length, 10u);
    }
    FakeClock clock;
    ScriptedStream s(&clock);
    for (char c : kResponse) s.data(std::string(1, c));
    Exchange e = get(s, clock);
    ASSERT_TRUE(e.result.ok());
    EXPECT_EQ(e.body, "0123456789");
}

TEST(HttpClient, HeadParserAtEveryByteBoundary) {
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nA: b\r\n\r\n";
    for (size_t cut = 0; cut <= head.size(); ++cut) {
        HttpHeadParser p;
        size_t used = p.feed(reinterpret_cast<const uint8_t*>(head.data()), cut);
        used += p.feed(reinterpret_cast<const uint8_t*>(head.data()) + used, head.size() - used);
        ASSERT_EQ(p.state(), HttpHeadParser::State::Done) << cut;
        EXPECT_EQ(used, head.size());
        EXPECT_EQ(p.head().status, 200);
        EXPECT_EQ(p.head().headers.size(), 2u);
    }
}

TEST(HttpClient, NoBodyFor204) {
    FakeClock clock;
    ScriptedStream s(&clock);
    s.data("HTTP/1.1 204 No Content\r\n\r\n");
    s.endless = "garbage";
    Exchange e = get(s, clock);
    ASSERT_TRUE(e.result.ok()) << e.result.detail;
    EXPECT_EQ(e.result.head.status, 204);
    EXPECT_EQ(e.body, "");
}

TEST(HttpClient, RejectsMalformedHeads) {
    const char* bad[] = {
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 abc OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\n\n",            // bare LF
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\r\n\r\n",     // bare CR
        "HTTP/1.1 200 OK\r\n Folded: x\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nno length",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\x01b\r\nContent-Length: 0\r\n\r\n",
    };
    for (const char* r : bad) {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data(r);
        Exchange e = get(s, clock);
        EXPECT_EQ(e.result.error, HttpError::Malformed) << r << " -> " << to_string(e.result.error);
        EXPECT_EQ(e.body, "") << r;
    }
}

TEST(HttpClient, RejectsOversizeHeads) {
    HttpLimits lim;
    lim.max_line = 64;
    lim.max_header_bytes = 256;
    lim.max_headers = 4;
    struct Case {
        std::string text;
        const char* why;
    } cases[] = {
        {"HTTP/1.1 200 " + std::string(100, 'x') + "\r\n\r\n", "long status line"},
        {"HTTP/1.1 200 OK\r\nX: " + std::string(100, 'x') + "\r\n\r\n", "long header line"},
        {"HTTP/1.1 200 OK\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", "too many headers"},
        {"HTTP/1.1 200 OK\r\n" + std::string(20, 'x') + ": " + std::string(36, 'y') + "\r\n" + std::string(20, 'z') +
             ": " + std::string(36, 'y') + "\r\n" + std::string(20, 'w') + ": " + std::string(36, 'y') + "\r\n" +
             std::string(20, 'v') + ": " + std::string(36, 'y') + "\r\n\r\n",
         "total head bytes"},
    };
    for (const Case& c : cases) {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data(c.text);
        Exchange e = get(s, clock, 1 << 20, lim);
        EXPECT_EQ(e.result.error, HttpError::TooLarge) << c.why << ": " << e.result.detail;
    }
    // An endless head (no blank line ever) stops at the limit, having read at most ~limit bytes.
    FakeClock clock;
    ScriptedStream s(&clock);
    s.data("HTTP/1.1 200 OK\r\n");
    s.endless = "X-A: b\r\n";
    Exchange e = get(s, clock, 1 << 20, lim);
    EXPECT_EQ(e.result.error, HttpError::TooLarge);
    EXPECT_LE(s.bytes_read, lim.max_header_bytes + 2048);
}

TEST(HttpClient, BodyLimits) {
    {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
        Exchange e = get(s, clock, 10);
        EXPECT_EQ(e.result.error, HttpError::TooLarge);
        EXPECT_EQ(e.body, "") << "refused before any body byte is delivered";
    }
    {
        // Truncated body: the server closes early.
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello");
        s.close_stream();
        Exchange e = get(s, clock);
        EXPECT_EQ(e.result.error, HttpError::ConnectionLost);
        EXPECT_EQ(e.result.body_received, 5u);
    }
    {
        // Endless body: only Content-Length bytes are read, the rest is never consumed.
        FakeClock clock;
        ScriptedStream s(&clock);
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
        s.data(head);
        s.endless = std::string(4096, 'A');
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok()) << e.result.detail;
        EXPECT_EQ(e.body.size(), 5000u);
        // Past the declared body the client looks once (to say that the server sent more), and
        // never more than one buffer: an endless body cannot keep it reading.
        EXPECT_GT(e.result.bytes_after_body, 0u);
        EXPECT_LE(s.bytes_read, 5000u + head.size() + 2048u) << "at most one buffer beyond the declared body";
    }
    {
        // Extra bytes that arrive with the head beyond Content-Length are dropped.
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiEXTRA");
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok());
        EXPECT_EQ(e.body, "hi");
    }
}

TEST(HttpClient, ABrokenStreamSaysWhyInTheDetail) {
    // A TLS layer that dropped the connection over a tampered record says so; the detail carries it.
    struct TamperedStream : ScriptedStream {
        using ScriptedStream::ScriptedStream;
        std::string error_detail() const override { return "TLS record authentication failed (bad MAC)"; }
    };
    FakeClock clock;
    TamperedStream s(&clock);
    s.data("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello");
    s.events.push_back({ScriptedStream::Event::Error, {}, 0});
    Exchange e = get(s, clock);
    EXPECT_EQ(e.result.error, HttpError::ConnectionLost);
    EXPECT_NE(e.result.detail.find("after 5 of 100 body bytes: TLS record authentication failed (bad MAC)"),
              std::string::npos) << e.result.detail;
}

TEST(HttpClient, ReadTimeoutAndTotalDeadline) {
    {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.timeout();
        Exchange e = get(s, clock);
        EXPECT_EQ(e.result.error, HttpError::Timeout);
    }
    {
        // A slow trickle: each read within the read timeout, but the deadline ends it.
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
        for (int i = 0; i < 1000; ++i) s.data("x", 900);
        HttpLimits lim;
        lim.read_timeout_ms = 1000;
        Exchange e = get(s, clock, 1 << 20, lim, clock.now + 30000);
        EXPECT_EQ(e.result.error, HttpError::Timeout);
        EXPECT_LT(e.body.size(), 40u);
        for (uint32_t t : s.timeouts_seen) EXPECT_LE(t, 1000u);
    }
}

TEST(HttpClient, RefusesInjectionInRequests) {
    HttpRequest r;
    r.host = "localhost";
    r.target = "/x";
    r.headers.emplace_back("Authorization", "Bearer k\r\nX-Evil: 1");
    EXPECT_EQ(HttpClient::serialize(r), "");
    r.headers.clear();
    r.target = "/x y";
    EXPECT_EQ(HttpClient::serialize(r), "");
    r.target = "/x\r\n";
    EXPECT_EQ(HttpClient::serialize(r), "");
    r.target = "/x";
    r.host = "::1";
    EXPECT_NE(HttpClient::serialize(r).find("Host: [::1]\r\n"), std::string::npos);
    r.method = "POST";
    r.body = "{\"a\":1}";
    std::string w = HttpClient::serialize(r);
    EXPECT_NE(w.find("Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"), std::string::npos) << w;
    FakeClock clock;
    ScriptedStream s(&clock);
    HttpClient c(clock);
    r.target = "bad";
    HttpResult res = c.exchange(s, r, 100, {}, 1000000);
    EXPECT_EQ(res.error, HttpError::BadRequest);
    EXPECT_EQ(s.written, "") << "nothing is sent";
}

TEST(HttpClient, ContentRange) {
    ContentRange r;
    ASSERT_TRUE(parse_content_range("bytes 0-99/100", r));
    EXPECT_EQ(r.first, 0u);
    EXPECT_EQ(r.last, 99u);
    EXPECT_EQ(r.total, 100u);
    for (const char* bad : {"bytes 0-99/*", "bytes */100", "bytes 5-4/100", "bytes 0-100/100", "items 0-1/2", "bytes 0-1", "bytes -1-2/3", "bytes 0-99/100x"})
        EXPECT_FALSE(parse_content_range(bad, r)) << bad;
}

TEST(HttpClient, ServerUrl) {
    ServerUrl u;
    std::string err;
    ASSERT_TRUE(parse_https_url("https://localhost:8443", u, err));
    EXPECT_EQ(u.host, "localhost");
    EXPECT_EQ(u.port, 8443);
    ASSERT_TRUE(parse_https_url("https://[::1]:9000/", u, err));
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 9000);
    ASSERT_TRUE(parse_https_url("https://127.0.0.1", u, err));
    EXPECT_EQ(u.port, 443);
    for (const char* bad : {"http://localhost", "https://", "https://a:0", "https://a:65536", "https://a:x", "https://a/b",
                            "https://u@a", "https://[::1", "ftp://a", "https://a:"})
        EXPECT_FALSE(parse_https_url(bad, u, err)) << bad;
    EXPECT_EQ(url_encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

// issue 29: bytes after Content-Length never reach the body, but they are counted so the device
// can say so in the journal; an honest server (close after the body) counts none.
TEST(HttpClient, CountsBytesAfterContentLengthWithoutUsingThem) {
    {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data(kResponse + "EXTRA");  // in the same read as the head and body
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok()) << e.result.detail;
        EXPECT_EQ(e.body, "0123456789");
        EXPECT_EQ(e.result.bytes_after_body, 5u);
    }
    {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data(kResponse.substr(0, kResponse.size() - 3));
        s.data("789");
        s.data("PADDING!");  // a later read
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok()) << e.result.detail;
        EXPECT_EQ(e.body, "0123456789");
        EXPECT_EQ(e.result.bytes_after_body, 8u);
    }
    {
        FakeClock clock;
        ScriptedStream s(&clock);
        s.data(kResponse);
        s.close_stream();
        Exchange e = get(s, clock);
        ASSERT_TRUE(e.result.ok()) << e.result.detail;
        EXPECT_EQ(e.result.bytes_after_body, 0u);
    }
}
