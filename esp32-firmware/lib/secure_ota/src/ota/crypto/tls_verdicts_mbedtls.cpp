#include "secure_ota/ota/crypto/tls_verdicts.h"
#include "secure_ota/defence_profile.h"

#include <cstdio>
#include <cstring>

#include <mbedtls/error.h>
#include <mbedtls/version.h>

namespace secure_ota::ota::tls {

namespace {

const int kCiphersuites[] = {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_SSL_PROTO_TLS1_3)
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,
    MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256,
#endif
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

bool san_has_ip(const mbedtls_x509_crt* crt, const VerifyContext& v) {
    for (const mbedtls_x509_sequence* s = &crt->subject_alt_names; s != nullptr; s = s->next) {
        const mbedtls_x509_buf& b = s->buf;
        if (b.p == nullptr) continue;
        if (b.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && b.len == v.ip_len && std::memcmp(b.p, v.ip, v.ip_len) == 0)
            return true;
    }
    return false;
}

}  // namespace

const int* ciphersuites() { return kCiphersuites; }

std::string error_text(int rc) {
    char code[24];
    std::snprintf(code, sizeof code, " (-0x%04X)", unsigned(-rc));
#if defined(MBEDTLS_ERROR_C)
    char buf[160];
    mbedtls_strerror(rc, buf, sizeof buf);
    return std::string(buf) + code;
#else
    return std::string("mbedTLS error") + code;
#endif
}

int64_t unix_of(const mbedtls_x509_time& t) {
    return days_from_civil(t.year, unsigned(t.mon), unsigned(t.day)) * 86400 + t.hour * 3600 + t.min * 60 + t.sec;
}

int verify_callback(void* ctx, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
    auto* v = static_cast<VerifyContext*>(ctx);
    v->chain_seen = true;
    if (v->have_time) {
        // Judge validity by the device's trusted time rather than the platform clock (an
        // ESP32 has none before SNTP; mbedTLS may be built without MBEDTLS_HAVE_TIME_DATE).
        *flags &= ~uint32_t(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
        if (v->now > unix_of(crt->valid_to)) *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
        if (v->now < unix_of(crt->valid_from)) *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    }
    if (depth == 0 && v->ip_literal && !san_has_ip(crt, *v)) *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

int configure_client(mbedtls_ssl_config* conf, mbedtls_x509_crt* ca, VerifyContext* verify,
                     int (*rng)(void*, unsigned char*, size_t), void* rng_ctx, uint32_t read_timeout_ms) {
    int rc = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0) return rc;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
    mbedtls_ssl_conf_ciphersuites(conf, kCiphersuites);
    // A lab build without pinning (defence_profile.h) is WiFiClientSecure::setInsecure(): any
    // certificate, any name, the handshake goes on.
    mbedtls_ssl_conf_authmode(conf, defence_profile().pinning ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_ca_chain(conf, ca, nullptr);
    mbedtls_ssl_conf_rng(conf, rng, rng_ctx);
    mbedtls_ssl_conf_verify(conf, verify_callback, verify);
    mbedtls_ssl_conf_read_timeout(conf, read_timeout_ms);
#if MBEDTLS_VERSION_NUMBER < 0x03000000 && defined(MBEDTLS_SSL_RENEGOTIATION)
    mbedtls_ssl_conf_renegotiation(conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
    return 0;
}

Verdict verdict_for_flags(uint32_t flags) {
    const uint32_t untrusted = MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_REVOKED |
                               MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY |
                               MBEDTLS_X509_BADCERT_MISSING | MBEDTLS_X509_BADCERT_SKIP_VERIFY | MBEDTLS_X509_BADCERT_OTHER |
                               MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE;
    if (flags & untrusted) return Verdict::TlsCertUntrusted;
    if (flags & MBEDTLS_X509_BADCERT_EXPIRED) return Verdict::TlsCertExpired;
    if (flags & MBEDTLS_X509_BADCERT_FUTURE) return Verdict::TlsCertNotYetValid;
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) return Verdict::TlsHostnameMismatch;
    return Verdict::TlsCertUntrusted;
}

void AlertWatch::received(const uint8_t* data, size_t length) {
    constexpr uint8_t kChangeCipherSpec = 20, kAlert = 21;
    for (size_t i = 0; i < length && !encrypted_; ++i) {
        if (at_ < sizeof header_) {
            header_[at_++] = data[i];
            if (at_ == sizeof header_) {
                body_ = size_t(header_[3]) << 8 | header_[4];
                if (body_ == 0) at_ = 0;
            }
            continue;
        }
        const size_t offset = at_ - sizeof header_;  // Alert: level (offset 0), description (1)
        if (header_[0] == kAlert && offset == 1) alert_ = data[i];
        if (++at_ - sizeof header_ == body_) {
            at_ = 0;
            if (header_[0] == kChangeCipherSpec) encrypted_ = true;
        }
    }
}

Outcome handshake_failure(const mbedtls_ssl_context& ssl, int rc, int alert) {
    uint32_t flags = mbedtls_ssl_get_verify_result(&ssl);
    if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || (flags != 0 && flags != uint32_t(-1))) {
        std::string text;
#if !defined(MBEDTLS_X509_REMOVE_INFO)
        char info[512];
        int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
        if (n > 0) text.assign(info, size_t(n));
        for (char& c : text)
            if (c == '\n') c = ';';
#endif
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%05X", unsigned(flags));
        return Outcome::of(verdict_for_flags(flags), std::string("certificate verify flags ") + hex + ": " + text);
    }
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    const bool bad_version = rc == MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION;
#else
    const bool bad_version = rc == MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION;
#endif
    if (bad_version) return Outcome::of(Verdict::TlsProtocol, "server TLS version below 1.2: " + error_text(rc));
    if (rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
        // protocol_version(70), insufficient_security(71), handshake_failure(40): the
        // server refused our TLS 1.2+/AEAD-only offer.
        Verdict v = (alert == 70 || alert == 71 || alert == 40) ? Verdict::TlsProtocol : Verdict::TlsHandshakeFailed;
        return Outcome::of(v, "server sent fatal alert " + std::to_string(alert));
    }
    if (rc == MBEDTLS_ERR_SSL_TIMEOUT) return Outcome::of(Verdict::TlsHandshakeFailed, "handshake timed out");
    return Outcome::of(Verdict::TlsHandshakeFailed, "handshake failed: " + error_text(rc));
}

}  // namespace secure_ota::ota::tls
