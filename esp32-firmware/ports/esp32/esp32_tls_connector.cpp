#include "esp32_tls_connector.h"

#include <cerrno>
#include <cstring>

#include <lwip/netdb.h>
#include <lwip/sockets.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#include "secure_ota/ota/crypto/tls_verdicts.h"

namespace esp32_port {

namespace ota = secure_ota::ota;
namespace tls = secure_ota::ota::tls;
using ota::Verdict;

namespace {

void set_send_timeout(int fd, uint32_t ms) {
    timeval tv{};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    lwip_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// Waits until `fd` is readable (write=false) or writable (write=true): 1 ready, 0 timeout, -1 error.
int wait_fd(int fd, bool write, uint32_t timeout_ms) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    timeval tv{};
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    int r = lwip_select(fd + 1, write ? nullptr : &set, write ? &set : nullptr, nullptr, &tv);
    return r > 0 ? 1 : r;
}

int bio_send(void* ctx, const unsigned char* buf, size_t len) {
    int fd = *static_cast<int*>(ctx);
    int n = lwip_send(fd, buf, len, 0);
    if (n >= 0) return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return MBEDTLS_ERR_SSL_TIMEOUT;  // SO_SNDTIMEO
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

int bio_recv_timeout(void* ctx, unsigned char* buf, size_t len, uint32_t timeout) {
    int fd = *static_cast<int*>(ctx);
    // mbedTLS passes 0 for "no timeout"; the engine always sets one, so 0 never waits forever.
    int r = wait_fd(fd, false, timeout == 0 ? 60000 : timeout);
    if (r < 0) return MBEDTLS_ERR_NET_RECV_FAILED;
    if (r == 0) return MBEDTLS_ERR_SSL_TIMEOUT;
    int n = lwip_recv(fd, buf, len, 0);
    if (n >= 0) return n;
    if (errno == ECONNRESET) return MBEDTLS_ERR_NET_CONN_RESET;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

// Non-blocking connect bounded by timeout_ms (lwIP's own SYN retries take much longer).
int tcp_connect(const std::string& host, uint16_t port, uint32_t timeout_ms, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int gai = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (gai != 0 || list == nullptr) {
        error = "cannot resolve " + host + " (getaddrinfo " + std::to_string(gai) + ")";
        return -1;
    }
    int fd = -1;
    error = "no address for " + host;
    for (addrinfo* a = list; a != nullptr && fd < 0; a = a->ai_next) {
        int s = lwip_socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s < 0) continue;
        int fl = lwip_fcntl(s, F_GETFL, 0);
        lwip_fcntl(s, F_SETFL, fl | O_NONBLOCK);
        int rc = lwip_connect(s, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            int w = wait_fd(s, true, timeout_ms);
            if (w == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
                rc = err == 0 ? 0 : -1;
                if (err) errno = err;
            } else {
                if (w == 0) errno = ETIMEDOUT;
                rc = -1;
            }
        }
        if (rc == 0) {
            lwip_fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
            int one = 1;
            lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            fd = s;
        } else {
            error = "connect to " + host + ":" + service + " failed: " + std::strerror(errno);
            lwip_close(s);
        }
    }
    freeaddrinfo(list);
    return fd;
}

class TlsStream : public ota::SecureStream {
public:
    TlsStream() {
        mbedtls_ssl_init(&ssl);
        mbedtls_ssl_config_init(&conf);
        mbedtls_ctr_drbg_init(&drbg);
        mbedtls_entropy_init(&entropy);
        mbedtls_x509_crt_init(&ca);
    }
    ~TlsStream() override {
        close();
        mbedtls_ssl_free(&ssl);
        mbedtls_ssl_config_free(&conf);
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
        mbedtls_x509_crt_free(&ca);  // safe after ESP-IDF freed it (it zeroises what it frees)
    }

    ota::StreamResult read(uint8_t* out, size_t capacity, uint32_t timeout_ms) override {
        if (fd < 0) return {ota::StreamStatus::Closed, 0};
        if (capacity == 0) return {ota::StreamStatus::Ok, 0};
        mbedtls_ssl_conf_read_timeout(&conf, timeout_ms == 0 ? 1 : timeout_ms);
        for (;;) {
            int r = mbedtls_ssl_read(&ssl, out, capacity);
            if (r > 0) return {ota::StreamStatus::Ok, size_t(r)};
            if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
            if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) continue;
#endif
            if (r == MBEDTLS_ERR_SSL_TIMEOUT) return {ota::StreamStatus::Timeout, 0};
            if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return {ota::StreamStatus::Closed, 0};
            return {ota::StreamStatus::Error, 0};
        }
    }

    ota::StreamResult write(const uint8_t* data, size_t length, uint32_t timeout_ms) override {
        if (fd < 0) return {ota::StreamStatus::Closed, 0};
        set_send_timeout(fd, timeout_ms == 0 ? 1 : timeout_ms);
        size_t done = 0;
        while (done < length) {
            int r = mbedtls_ssl_write(&ssl, data + done, length - done);
            if (r > 0) {
                done += size_t(r);
                continue;
            }
            if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
            if (r == MBEDTLS_ERR_SSL_TIMEOUT) return {ota::StreamStatus::Timeout, done};
            return {ota::StreamStatus::Error, done};
        }
        return {ota::StreamStatus::Ok, done};
    }

    void close() override {
        if (fd >= 0) {
            if (handshake_done) {
                set_send_timeout(fd, 200);
                mbedtls_ssl_close_notify(&ssl);
            }
            lwip_close(fd);
            fd = -1;
        }
    }

    int fd = -1;
    bool handshake_done = false;
    tls::VerifyContext verify;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context entropy;
    // The trusted CA, parsed per session: Arduino-ESP32 builds mbedTLS with
    // CONFIG_MBEDTLS_DYNAMIC_FREE_CA_CERT, which frees conf->ca_chain during each handshake,
    // so one chain shared by the manifest, image and resume connections would be gone (and
    // every later handshake TLS_CERT_UNTRUSTED) after the first.
    mbedtls_x509_crt ca;
};

int parse_ca(mbedtls_x509_crt* crt, const std::string& pem) {
    return mbedtls_x509_crt_parse(crt, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1);
}

}  // namespace

struct Esp32TlsConnector::Impl {
    std::string ca_pem;  // parsed once here to validate it, then again for every session
    bool ca_ok = false;
};

Esp32TlsConnector::Esp32TlsConnector(const std::string& pem, ota::TrustedTime& time, bool (*network_up)())
    : impl_(new Impl), time_(time), network_up_(network_up) {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    // mbedTLS 3.x (ESP-IDF 5): TLS 1.3 and MBEDTLS_USE_PSA_CRYPTO need PSA (idempotent).
    if (psa_crypto_init() != PSA_SUCCESS) {
        setup_error_ = "psa_crypto_init failed";
        return;
    }
#endif
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        setup_error_ = "no PEM CA certificate provisioned";
        return;
    }
    mbedtls_x509_crt probe;
    mbedtls_x509_crt_init(&probe);
    int rc = parse_ca(&probe, pem);
    mbedtls_x509_crt_free(&probe);
    if (rc != 0) {
        setup_error_ = "cannot parse the CA certificate: " + tls::error_text(rc);
        return;
    }
    impl_->ca_pem = pem;
    impl_->ca_ok = true;
}

Esp32TlsConnector::~Esp32TlsConnector() = default;

bool Esp32TlsConnector::ready() const { return impl_->ca_ok; }

ota::ConnectResult Esp32TlsConnector::connect(const std::string& host, uint16_t port, uint32_t timeout_ms) {
    ota::ConnectResult out;
    auto fail = [&out](ota::Outcome o) {
        out.stream.reset();
        out.failure = std::move(o);
        return std::move(out);
    };
    if (!impl_->ca_ok) return fail(ota::Outcome::of(Verdict::NotProvisioned, setup_error_));
    if (timeout_ms == 0) timeout_ms = 1;

    auto s = std::make_unique<TlsStream>();
    // Trusted time first: without it no certificate can be judged.
    auto now = time_.unix_time();
    if (!now) return fail(ota::Outcome::of(Verdict::NoValidTime, "no trusted time to check the server certificate"));
    s->verify.have_time = true;
    s->verify.now = *now;
    if (network_up_ && !network_up_()) return fail(ota::Outcome::of(Verdict::ConnectFailed, "WiFi not connected"));

    if (lwip_inet_pton(AF_INET, host.c_str(), s->verify.ip) == 1) {
        s->verify.ip_literal = true;
        s->verify.ip_len = 4;
    } else if (lwip_inet_pton(AF_INET6, host.c_str(), s->verify.ip) == 1) {
        s->verify.ip_literal = true;
        s->verify.ip_len = 16;
    }

    static const char pers[] = "secure-ota-esp32";
    int rc = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, reinterpret_cast<const unsigned char*>(pers),
                                   sizeof pers - 1);
    if (rc != 0) return fail(ota::Outcome::of(Verdict::InternalError, "RNG seed failed: " + tls::error_text(rc)));
    rc = parse_ca(&s->ca, impl_->ca_pem);
    if (rc != 0) return fail(ota::Outcome::of(Verdict::InternalError, "CA parse failed (heap?): " + tls::error_text(rc)));
    rc = tls::configure_client(&s->conf, &s->ca, &s->verify, mbedtls_ctr_drbg_random, &s->drbg, timeout_ms);
    if (rc != 0) return fail(ota::Outcome::of(Verdict::InternalError, "TLS config failed: " + tls::error_text(rc)));
    rc = mbedtls_ssl_setup(&s->ssl, &s->conf);
    if (rc != 0) return fail(ota::Outcome::of(Verdict::InternalError, "TLS setup failed (heap?): " + tls::error_text(rc)));
    // DNS names are matched by mbedTLS (and sent as SNI); IP literals by tls::verify_callback.
    rc = mbedtls_ssl_set_hostname(&s->ssl, s->verify.ip_literal ? nullptr : host.c_str());
    if (rc != 0) return fail(ota::Outcome::of(Verdict::InternalError, "set_hostname failed: " + tls::error_text(rc)));

    std::string error;
    s->fd = tcp_connect(host, port, timeout_ms, error);
    if (s->fd < 0) return fail(ota::Outcome::of(Verdict::ConnectFailed, error));
    set_send_timeout(s->fd, timeout_ms);
    mbedtls_ssl_set_bio(&s->ssl, &s->fd, bio_send, nullptr, bio_recv_timeout);

    do rc = mbedtls_ssl_handshake(&s->ssl);
    while (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (rc != 0) return fail(tls::handshake_failure(s->ssl, rc));
    s->handshake_done = true;
    out.stream = std::move(s);
    return out;
}

}  // namespace esp32_port
