// What the OTA engine needs from the transport and the clock. The transport both boards use
// is the core's TlsConnector (crypto/tls_connector.h) over the port's sockets (network.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota {

enum class StreamStatus {
    Ok,       // `bytes` > 0 were transferred
    Timeout,  // nothing arrived within the timeout
    Closed,   // orderly end of stream (TLS close_notify or TCP FIN)
    Error,    // reset, TLS record error...: the stream is unusable
};

struct StreamResult {
    StreamStatus status = StreamStatus::Error;
    size_t bytes = 0;
};

// A connected, authenticated byte stream (TLS after a successful, verified handshake).
class SecureStream {
public:
    virtual ~SecureStream() = default;
    // Reads at most `capacity` bytes, waiting at most `timeout_ms`.
    virtual StreamResult read(uint8_t* out, size_t capacity, uint32_t timeout_ms) = 0;
    // Writes all `length` bytes or fails.
    virtual StreamResult write(const uint8_t* data, size_t length, uint32_t timeout_ms) = 0;
    virtual void close() = 0;
    // Why the last read or write returned Error, for the verdict's detail (e.g. "TLS record
    // authentication failed (bad MAC)" when a record was altered in transit); empty when unknown.
    virtual std::string error_detail() const { return {}; }
};

struct ConnectResult {
    std::unique_ptr<SecureStream> stream;  // null on failure
    Outcome failure;                       // TLS_*, CONNECT_FAILED, NO_VALID_TIME... when null
    // The handshake resumed an earlier session with this server (no certificate exchange, no
    // ECDHE): only ever a session that a full, verified handshake with the same host:port made.
    bool resumed = false;
};

// Opens a stream to host:port, trusting only the provisioned CA and checking `host` against
// the certificate. Must not return a stream before the handshake and verification succeeded.
class Connector {
public:
    virtual ~Connector() = default;
    virtual ConnectResult connect(const std::string& host, uint16_t port, uint32_t timeout_ms) = 0;
};

// Monotonic milliseconds, for timeouts and the total deadline.
class Clock {
public:
    virtual ~Clock() = default;
    virtual uint64_t monotonic_ms() = 0;
};

// The device's trusted wall-clock time (SNTP from the workbench-controlled time source).
class TrustedTime {
public:
    virtual ~TrustedTime() = default;
    // Unix seconds, or nullopt while the device has no trusted time.
    virtual std::optional<int64_t> unix_time() = 0;
    // Asks the time source again on the next unix_time() (the engine calls it before each
    // check), so that an honest source heals a device after a time attack without a reboot.
    virtual void refresh() {}
};

}  // namespace secure_ota::ota
