// The OTA transport's TLS client, written once for both boards: an mbedTLS session
// (configuration, handshake, read, write, close_notify, verify flags -> verdict) over a TCP
// socket that the port's Network supplies (ota/network.h). The host's TLS tests therefore
// run the very code the ESP32 runs; only the socket calls differ (POSIX or lwIP).
//  - policy and verdicts: tls_verdicts.h (TLS 1.2+, AEAD only, one CA, authmode REQUIRED);
//  - the CA is parsed for each session: an ESP-IDF mbedTLS built with
//    CONFIG_MBEDTLS_DYNAMIC_FREE_CA_CERT frees the configured chain during a handshake, so a
//    chain shared by the manifest, image and resume connections would be gone after the first
//    (not set in the Arduino-ESP32 sdkconfig.h checked, but a custom sdkconfig may set it);
//  - connect() returns a stream only after the handshake and all verification succeeded;
//  - TLS 1.2 session resumption: the connector keeps the last session (ticket or session ID)
//    of the last server it reached and offers it on the next connect() to the same host:port,
//    so the image and report connections of one check skip the certificate exchange and the
//    ECDHE of a full handshake. The session is only ever saved after a successful handshake
//    whose chain, validity (TrustedTime) and host name were all verified; a server that does
//    not know the session (restarted, ticket key rotated, another server on the same address)
//    gets a full handshake with every check, and any failed handshake forgets the session. The
//    session lives as long as the connector, which the update agent makes for one check.
// Needs mbedTLS ssl + x509 (SECURE_OTA_OTA_TLS_SOURCES); this header includes none of it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "secure_ota/ota/network.h"
#include "secure_ota/ota/secure_stream.h"

struct mbedtls_ssl_context;  // mbedtls/ssl.h, included by the .cpp only

namespace secure_ota::ota {

class TlsConnector : public Connector {
public:
    struct Options {
        std::string ca_pem;              // the only trusted CA (factory data)
        TrustedTime* time = nullptr;     // judges certificate validity; null = mbedTLS's clock
        // Bounds a whole read or handshake by its timeout. mbedTLS gives its receive callback a
        // timeout per recv(), so without it a peer that trickles a record a few bytes at a time
        // restarts that timeout forever (the slow-retrieval attack). Null: per-recv timeouts only.
        Clock* clock = nullptr;
        std::string rng_personalization = "secure-ota";
#if defined(SECURE_OTA_TLS_KEYLOG)
        // Receives each session's secrets as NSS key-log lines (CLIENT_RANDOM for TLS 1.2, the
        // traffic secrets where mbedTLS 3.x negotiates TLS 1.3), so that a capture of the
        // session decrypts in Wireshark. Compiled only with SECURE_OTA_TLS_KEYLOG: the virtual
        // board's build defines it; a real-board build only when its build flags add it, and its
        // banner then says so. Empty: no key export.
        std::function<void(const std::string&)> key_log;
#endif
    };

    TlsConnector(Network& network, Options options);
    ~TlsConnector() override;
    TlsConnector(const TlsConnector&) = delete;
    TlsConnector& operator=(const TlsConnector&) = delete;

    // False when the CA PEM did not parse; connect() then answers NOT_PROVISIONED.
    bool ready() const { return ca_ok_; }
    const std::string& setup_error() const { return setup_error_; }

    ConnectResult connect(const std::string& host, uint16_t port, uint32_t timeout_ms) override;

    struct Rng;  // mbedTLS's entropy and CTR_DRBG (in the .cpp), seeded once, shared by the sessions

private:
    struct SavedSession;  // mbedTLS's session, kept out of this header
    void save_session(const mbedtls_ssl_context& ssl, const std::string& host, uint16_t port);

    Network& network_;
    Options options_;
    bool ca_ok_ = false;
    std::string setup_error_;
    std::unique_ptr<SavedSession> saved_;  // the last server's session, or null
    std::shared_ptr<Rng> rng_;             // seeded at the first connect()
};

}  // namespace secure_ota::ota
