// The TLS policy and the verdict mapping of the OTA transport, mbedTLS only (no sockets, no
// OS): which TLS versions and suites are offered, how a certificate is judged (by the device's
// TrustedTime, IP literals against SAN iPAddress), and which verdict a failed handshake gets.
//
// Used by the core's one TLS session (tls_connector.h), which both ports run, so the two
// boards give the same verdicts. Needs mbedTLS ssl + x509: built into the target that links
// them (SECURE_OTA_OTA_TLS_SOURCES).
//  - TLS 1.2 minimum (1.3 too when the mbedTLS build has it), AEAD suites only;
//  - exactly one trusted CA, authmode REQUIRED;
//  - validity judged by TrustedTime (EXPIRED / FUTURE flags recomputed), IP SAN matching;
//  - verify flags -> TLS_CERT_UNTRUSTED / _EXPIRED / _NOT_YET_VALID / TLS_HOSTNAME_MISMATCH;
//    version / no shared suite -> TLS_PROTOCOL; anything else TLS_HANDSHAKE_FAILED.
#pragma once

#include <cstdint>
#include <string>

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota::tls {

// What verify_callback needs; lives as long as the TLS session.
struct VerifyContext {
    bool ip_literal = false;  // the host is an IP address: matched against SAN iPAddress here
    uint8_t ip[16] = {};      // network byte order (4 or 16 bytes)
    size_t ip_len = 0;
    bool have_time = false;   // judge validity by `now` (TrustedTime), not by mbedTLS's clock
    int64_t now = 0;
    bool chain_seen = false;  // verify_callback ran: a full handshake (a resumed one sends no certificate)
};

// The only suites offered (zero-terminated): ECDHE + AES-GCM / ChaCha20-Poly1305 (+ TLS 1.3).
const int* ciphersuites();

// mbedtls_strerror text plus the code, e.g. "SSL - ... (-0x7780)".
std::string error_text(int rc);

// Unix seconds of an mbedtls_x509_time (UTC).
int64_t unix_of(const mbedtls_x509_time& t);

// For mbedtls_ssl_conf_verify(conf, verify_callback, &context).
int verify_callback(void* context, mbedtls_x509_crt* crt, int depth, uint32_t* flags);

// Client policy on an initialised config: defaults, TLS 1.2 minimum, AEAD suites, authmode
// REQUIRED, `ca` as the only anchor, `verify` as the verify callback context, read timeout.
// Returns 0 or the mbedTLS error of mbedtls_ssl_config_defaults.
int configure_client(mbedtls_ssl_config* conf, mbedtls_x509_crt* ca, VerifyContext* verify,
                     int (*rng)(void*, unsigned char*, size_t), void* rng_ctx, uint32_t read_timeout_ms);

// Verify flags (MBEDTLS_X509_BADCERT_*) to a verdict.
Verdict verdict_for_flags(uint32_t flags);

// The alert a server sent during the handshake, read from the records as they are received
// (mbedTLS keeps the last alert only in a private field). Only plaintext records are read:
// everything after a ChangeCipherSpec, and TLS 1.3's encrypted records, is left alone.
class AlertWatch {
public:
    void received(const uint8_t* data, size_t length);
    int last_alert() const { return alert_; }  // AlertDescription, or -1 for none

private:
    uint8_t header_[5] = {};
    size_t at_ = 0;          // bytes of the current record seen, header included
    size_t body_ = 0;        // its body length
    bool encrypted_ = false; // a ChangeCipherSpec has gone by
    int alert_ = -1;
};

// The outcome of a failed mbedtls_ssl_handshake (rc != 0): verify flags first (with their
// mbedTLS description in the detail), then protocol version / refusing alerts (`alert`: the
// AlertWatch's last_alert()), else TLS_HANDSHAKE_FAILED.
Outcome handshake_failure(const mbedtls_ssl_context& ssl, int rc, int alert);

}  // namespace secure_ota::ota::tls
