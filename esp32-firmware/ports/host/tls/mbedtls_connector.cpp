#include "mbedtls_connector.h"

#include "secure_ota/ota/crypto/tls_verdicts.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

namespace secure_ota::host {
using ota::Verdict;
namespace tls = ota::tls;

namespace {

// The socket and the deadline of the read in progress. mbedTLS gives its receive callback a timeout per
// recv(), so a peer that trickles a record a few bytes at a time would restart it forever: the deadline
// bounds the whole read (one TLS record may need many recv() calls), as the read timeout promises.
struct Io {
    int fd = -1;
    uint64_t deadline_ms = 0;  // 0: no deadline beyond the per-recv timeout
};

uint64_t steady_ms() {
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch()).count());
}

int bio_send(void* ctx, const unsigned char* buf, size_t len) {
    int fd = static_cast<Io*>(ctx)->fd;
    for (;;) {
        ssize_t n = ::send(fd, buf, len, MSG_NOSIGNAL);
        if (n >= 0) return int(n);
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return MBEDTLS_ERR_SSL_TIMEOUT;  // SO_SNDTIMEO
        return MBEDTLS_ERR_NET_SEND_FAILED;
    }
}

int bio_recv_timeout(void* ctx, unsigned char* buf, size_t len, uint32_t timeout) {
    const Io& io = *static_cast<Io*>(ctx);
    int fd = io.fd;
    for (;;) {
        int wait = timeout == 0 ? -1 : int(timeout);
        if (io.deadline_ms != 0) {
            uint64_t now = steady_ms();
            if (now >= io.deadline_ms) return MBEDTLS_ERR_SSL_TIMEOUT;
            uint64_t left = io.deadline_ms - now;
            if (wait < 0 || left < uint64_t(wait)) wait = int(left);
        }
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, wait);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return MBEDTLS_ERR_NET_RECV_FAILED;
        if (r == 0) return MBEDTLS_ERR_SSL_TIMEOUT;
        ssize_t n = ::recv(fd, buf, len, 0);
        if (n >= 0) return int(n);
        if (errno == EINTR) continue;
        if (errno == ECONNRESET) return MBEDTLS_ERR_NET_CONN_RESET;
        return MBEDTLS_ERR_NET_RECV_FAILED;
    }
}

int tcp_connect(const std::string& host, uint16_t port, uint32_t timeout_ms, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int gai = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (gai != 0) {
        error = "cannot resolve " + host + ": " + gai_strerror(gai);
        return -1;
    }
    int fd = -1;
    error = "no address for " + host;
    for (addrinfo* a = list; a != nullptr && fd < 0; a = a->ai_next) {
        int s = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) continue;
        int fl = ::fcntl(s, F_GETFL, 0);
        ::fcntl(s, F_SETFL, fl | O_NONBLOCK);
        int rc = ::connect(s, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{s, POLLOUT, 0};
            int pr;
            do pr = ::poll(&p, 1, int(timeout_ms));
            while (pr < 0 && errno == EINTR);
            if (pr == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                ::getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
                rc = err == 0 ? 0 : -1;
                if (err) errno = err;
            } else {
                if (pr == 0) errno = ETIMEDOUT;
                rc = -1;
            }
        }
        if (rc == 0) {
            ::fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
            int one = 1;
            ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            fd = s;
        } else {
            error = "connect to " + host + ":" + service + " failed: " + std::strerror(errno);
            ::close(s);
        }
    }
    ::freeaddrinfo(list);
    return fd;
}

void set_send_timeout(int fd, uint32_t ms) {
    timeval tv{};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// Sets the deadline of one read or handshake, and clears it when that is over.
class Deadline {
public:
    Deadline(Io& io, uint32_t ms) : io_(io) { io_.deadline_ms = steady_ms() + ms; }
    ~Deadline() { io_.deadline_ms = 0; }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

private:
    Io& io_;
};

class TlsStream : public ota::SecureStream {
public:
    TlsStream() {
        mbedtls_ssl_init(&ssl);
        mbedtls_ssl_config_init(&conf);
        mbedtls_ctr_drbg_init(&drbg);
        mbedtls_entropy_init(&entropy);
    }
    ~TlsStream() override {
        close();
        mbedtls_ssl_free(&ssl);
        mbedtls_ssl_config_free(&conf);
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
    }

    ota::StreamResult read(uint8_t* out, size_t capacity, uint32_t timeout_ms) override {
        if (fd < 0) return {ota::StreamStatus::Closed, 0};
        if (capacity == 0) return {ota::StreamStatus::Ok, 0};
        mbedtls_ssl_conf_read_timeout(&conf, timeout_ms == 0 ? 1 : timeout_ms);
        Deadline bound(io, timeout_ms == 0 ? 1 : timeout_ms);
        for (;;) {
            int r = mbedtls_ssl_read(&ssl, out, capacity);
            if (r > 0) return {ota::StreamStatus::Ok, size_t(r)};
            if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
            if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) continue;
#endif
            if (r == MBEDTLS_ERR_SSL_TIMEOUT) return {ota::StreamStatus::Timeout, 0};
            if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return {ota::StreamStatus::Closed, 0};
            last_error = r == MBEDTLS_ERR_SSL_INVALID_MAC
                    ? "TLS record authentication failed (bad MAC): a record was altered in transit"
                    : "TLS read failed: " + tls::error_text(r);
            return {ota::StreamStatus::Error, 0};
        }
    }

    std::string error_detail() const override { return last_error; }

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
            ::close(fd);
            fd = -1;
        }
    }

    Io io;
    int& fd = io.fd;
    std::string last_error;
    bool handshake_done = false;
    tls::VerifyContext verify;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context entropy;
};

}  // namespace

struct MbedTlsConnector::Impl {
    Options options;
    mbedtls_x509_crt ca;
    bool ca_ok = false;
    Impl() { mbedtls_x509_crt_init(&ca); }
    ~Impl() { mbedtls_x509_crt_free(&ca); }
};

MbedTlsConnector::MbedTlsConnector(Options options) : impl_(new Impl) {
    impl_->options = std::move(options);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    // mbedTLS 3.x: TLS 1.3 and MBEDTLS_USE_PSA_CRYPTO need PSA initialised (idempotent).
    if (psa_crypto_init() != PSA_SUCCESS) {
        setup_error_ = "psa_crypto_init failed";
        return;
    }
#endif
    const std::string& pem = impl_->options.ca_pem;
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        setup_error_ = "no PEM CA certificate provisioned";
        return;
    }
    int rc = mbedtls_x509_crt_parse(&impl_->ca, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1);
    if (rc != 0) {
        setup_error_ = "cannot parse the CA certificate: " + tls::error_text(rc);
        return;
    }
    impl_->ca_ok = true;
}

MbedTlsConnector::~MbedTlsConnector() = default;

bool MbedTlsConnector::ready() const { return impl_->ca_ok; }

Verdict MbedTlsConnector::verdict_for_flags(uint32_t flags) { return tls::verdict_for_flags(flags); }

ota::ConnectResult MbedTlsConnector::connect(const std::string& host, uint16_t port, uint32_t timeout_ms) {
    ota::ConnectResult out;
    auto fail = [&out](Verdict v, std::string d) {
        out.stream.reset();
        out.failure = ota::Outcome::of(v, std::move(d));
        return std::move(out);
    };
    if (!impl_->ca_ok) return fail(Verdict::NotProvisioned, setup_error_);
    if (timeout_ms == 0) timeout_ms = 1;

    auto s = std::make_unique<TlsStream>();
    // Trusted time first: without it no certificate can be judged.
    if (impl_->options.time) {
        auto now = impl_->options.time->unix_time();
        if (!now) return fail(Verdict::NoValidTime, "no trusted time to check the server certificate");
        s->verify.have_time = true;
        s->verify.now = *now;
    }
    if (::inet_pton(AF_INET, host.c_str(), s->verify.ip) == 1) {
        s->verify.ip_literal = true;
        s->verify.ip_len = 4;
    } else if (::inet_pton(AF_INET6, host.c_str(), s->verify.ip) == 1) {
        s->verify.ip_literal = true;
        s->verify.ip_len = 16;
    }

    static const char pers[] = "secure-ota-host";
    int rc = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, reinterpret_cast<const unsigned char*>(pers),
                                   sizeof pers - 1);
    if (rc != 0) return fail(Verdict::InternalError, "RNG seed failed: " + tls::error_text(rc));
    rc = tls::configure_client(&s->conf, &impl_->ca, &s->verify, mbedtls_ctr_drbg_random, &s->drbg, timeout_ms);
    if (rc != 0) return fail(Verdict::InternalError, "TLS config failed: " + tls::error_text(rc));
    rc = mbedtls_ssl_setup(&s->ssl, &s->conf);
    if (rc != 0) return fail(Verdict::InternalError, "TLS setup failed: " + tls::error_text(rc));
    // DNS names are matched by mbedTLS (and sent as SNI); IP literals by tls::verify_callback.
    rc = mbedtls_ssl_set_hostname(&s->ssl, s->verify.ip_literal ? nullptr : host.c_str());
    if (rc != 0) return fail(Verdict::InternalError, "set_hostname failed: " + tls::error_text(rc));

    std::string error;
    s->fd = tcp_connect(host, port, timeout_ms, error);
    if (s->fd < 0) return fail(Verdict::ConnectFailed, error);
    set_send_timeout(s->fd, timeout_ms);
    mbedtls_ssl_set_bio(&s->ssl, &s->io, bio_send, nullptr, bio_recv_timeout);

    {
        Deadline bound(s->io, timeout_ms);
        do rc = mbedtls_ssl_handshake(&s->ssl);
        while (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE);
    }
    if (rc != 0) {
        ota::Outcome o = tls::handshake_failure(s->ssl, rc);
        return fail(o.verdict, std::move(o.detail));
    }
    s->handshake_done = true;
    out.stream = std::move(s);
    return out;
}

uint64_t SteadyClock::monotonic_ms() {
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

std::optional<int64_t> SystemTrustedTime::unix_time() { return int64_t(std::time(nullptr)); }

}  // namespace secure_ota::host
