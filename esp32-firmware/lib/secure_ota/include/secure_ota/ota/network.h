// What a port supplies to the core's network code: connected TCP and UDP sockets, and the
// parsing of IP literals. The TLS session (crypto/tls_connector.h) and the SNTP exchange
// (socket_datagram_exchange.h) are written once, in the core, over this interface, as MCUboot
// keeps its flash and crypto backends behind one header. ports/bsd/bsd_network.* implements it
// with BSD sockets for both boards (POSIX on the host, lwIP under ESP-IDF's same names).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "secure_ota/ota/secure_stream.h"

namespace secure_ota::ota {

// One connected socket; closed by its destructor. Results use the stream's vocabulary:
// Ok with bytes > 0, Timeout (nothing within timeout_ms), Closed (peer's FIN), Error.
class Socket {
public:
    virtual ~Socket() = default;
    // Sends some of `data` (at least one byte) within timeout_ms; never raises SIGPIPE.
    virtual StreamResult send(const uint8_t* data, size_t length, uint32_t timeout_ms) = 0;
    // Receives what has arrived, up to `capacity`, waiting at most timeout_ms for the first byte.
    virtual StreamResult receive(uint8_t* out, size_t capacity, uint32_t timeout_ms) = 0;
};

class Network {
public:
    virtual ~Network() = default;
    // Empty while the link is up, else why not (e.g. "WiFi not connected").
    virtual std::string unavailable() { return {}; }
    // TCP connection to host:port (name or IP literal), the connect bounded by timeout_ms.
    // Null on failure, with `error` naming the host and the cause.
    virtual std::unique_ptr<Socket> open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                             std::string& error) = 0;
    // UDP socket connected to host:port, so that only that peer's datagrams are received.
    virtual std::unique_ptr<Socket> open_udp(const std::string& host, uint16_t port, std::string& error) = 0;
    // `host` as an IPv4 (4 bytes) or IPv6 (16 bytes) literal in network byte order; 0 for a name.
    virtual size_t ip_literal(const std::string& host, uint8_t out[16]) = 0;
};

}  // namespace secure_ota::ota
