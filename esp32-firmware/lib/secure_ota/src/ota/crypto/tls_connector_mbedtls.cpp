#include "secure_ota/ota/crypto/tls_connector.h"

#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <utility>

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

namespace secure_ota::ota {

namespace {

// mbedTLS asks for "no timeout" with 0; the engine always sets one, so this is only a backstop.
constexpr uint32_t kLongestWaitMs = 60000;
constexpr uint32_t kCloseNotifyTimeoutMs = 200;

int parse_ca(mbedtls_x509_crt* crt, const std::string& pem) {
    // mbedTLS wants the PEM NUL-terminated, with the NUL counted in the length.
    return mbedtls_x509_crt_parse(crt, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1);
}

#if defined(SECURE_OTA_TLS_KEYLOG)
#if MBEDTLS_VERSION_NUMBER < 0x03000000 && !defined(MBEDTLS_SSL_EXPORT_KEYS)
#error "SECURE_OTA_TLS_KEYLOG needs an mbedTLS 2.28 built with MBEDTLS_SSL_EXPORT_KEYS"
#endif
std::string to_hex(const unsigned char* p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

// One NSS key-log line: LABEL <client random> <secret>, in lower-case hex.
std::string key_log_line(const char* label, const unsigned char* client_random, const unsigned char* secret, size_t n) {
    return std::string(label) + ' ' + to_hex(client_random, 32) + ' ' + to_hex(secret, n);
}
#endif

int clamp_to_int(size_t n) { return n > size_t(std::numeric_limits<int>::max()) ? std::numeric_limits<int>::max() : int(n); }

}  // namespace

// One CTR_DRBG per connector, seeded at its first connection and shared by the later ones (the
// image and report connections of the same check), as mbedTLS recommends: seeding costs an
// entropy context, whose start-up in Debian's mbedTLS 2.28 (HAVEGE) is about 0.15 ms of CPU per
// connection. Each session holds it, so it outlives any session still open.
struct TlsConnector::Rng {
    Rng() {
        mbedtls_ctr_drbg_init(&drbg);
        mbedtls_entropy_init(&entropy);
    }
    ~Rng() {
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
    }
    Rng(const Rng&) = delete;
    Rng& operator=(const Rng&) = delete;

    mbedtls_ctr_drbg_context drbg;
    mbedtls_entropy_context entropy;
};

namespace {

class TlsSession : public SecureStream {
public:
    explicit TlsSession(std::unique_ptr<Socket> s) : socket(std::move(s)) {
        mbedtls_ssl_init(&ssl);
        mbedtls_ssl_config_init(&conf);
        mbedtls_x509_crt_init(&ca);
    }
    ~TlsSession() override {
        close();
        mbedtls_ssl_free(&ssl);
        mbedtls_ssl_config_free(&conf);
        mbedtls_x509_crt_free(&ca);  // safe after ESP-IDF freed it (it zeroises what it frees)
    }

    StreamResult read(uint8_t* out, size_t capacity, uint32_t timeout_ms) override {
        if (!socket) return {StreamStatus::Closed, 0};
        if (capacity == 0) return {StreamStatus::Ok, 0};
        mbedtls_ssl_conf_read_timeout(&conf, timeout_ms == 0 ? 1 : timeout_ms);
        Deadline bound(*this, timeout_ms == 0 ? 1 : timeout_ms);
        for (;;) {
            int r = mbedtls_ssl_read(&ssl, out, capacity);
            if (r > 0) return {StreamStatus::Ok, size_t(r)};
            if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
            if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) continue;
#endif
            if (r == MBEDTLS_ERR_SSL_TIMEOUT) return {StreamStatus::Timeout, 0};
            if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return {StreamStatus::Closed, 0};
            last_error = r == MBEDTLS_ERR_SSL_INVALID_MAC
                    ? "TLS record authentication failed (bad MAC): a record was altered in transit"
                    : "TLS read failed: " + tls::error_text(r);
            return {StreamStatus::Error, 0};
        }
    }

    std::string error_detail() const override { return last_error; }

    // The deadline of one read or handshake (see TlsConnector::Options::clock), cleared when it is over.
    class Deadline {
    public:
        Deadline(TlsSession& s, uint32_t ms) : s_(s) {
            if (s_.clock) s_.deadline_ms = s_.clock->monotonic_ms() + ms;
        }
        ~Deadline() { s_.deadline_ms = 0; }
        Deadline(const Deadline&) = delete;
        Deadline& operator=(const Deadline&) = delete;

    private:
        TlsSession& s_;
    };

    StreamResult write(const uint8_t* data, size_t length, uint32_t timeout_ms) override {
        if (!socket) return {StreamStatus::Closed, 0};
        send_timeout_ms = timeout_ms == 0 ? 1 : timeout_ms;
        size_t done = 0;
        while (done < length) {
            int r = mbedtls_ssl_write(&ssl, data + done, length - done);
            if (r > 0) {
                done += size_t(r);
                continue;
            }
            if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
            if (r == MBEDTLS_ERR_SSL_TIMEOUT) return {StreamStatus::Timeout, done};
            return {StreamStatus::Error, done};
        }
        return {StreamStatus::Ok, done};
    }

    void close() override {
        if (!socket) return;
        if (handshake_done) {
            send_timeout_ms = kCloseNotifyTimeoutMs;
            mbedtls_ssl_close_notify(&ssl);
        }
        socket.reset();
    }

    // mbedTLS's bio callbacks: the port's socket, in mbedTLS's return codes.
    static int bio_send(void* ctx, const unsigned char* buf, size_t len) {
        auto* s = static_cast<TlsSession*>(ctx);
#if defined(SECURE_OTA_TLS_KEYLOG)
        // The ClientHello's random, as a key-log comment: it names this session in a capture even
        // when the handshake fails before any secret exists (a rogue server's certificate).
        // Record: type 22, version, length; handshake: type 1, length, version, random.
        if (s->key_log && !s->hello_logged && len >= 43 && buf[0] == 22 && buf[5] == 1) {
            s->hello_logged = true;
            s->key_log("# CLIENT_HELLO " + to_hex(buf + 11, 32));
        }
#endif
        StreamResult r = s->socket->send(buf, len, s->send_timeout_ms);
        if (r.status == StreamStatus::Ok) return clamp_to_int(r.bytes);
        if (r.status == StreamStatus::Timeout) return MBEDTLS_ERR_SSL_TIMEOUT;
        return MBEDTLS_ERR_NET_SEND_FAILED;
    }

    static int bio_recv_timeout(void* ctx, unsigned char* buf, size_t len, uint32_t timeout) {
        auto* s = static_cast<TlsSession*>(ctx);
        uint32_t wait = timeout == 0 ? kLongestWaitMs : timeout;
        if (s->deadline_ms != 0) {
            uint64_t now = s->clock->monotonic_ms();
            if (now >= s->deadline_ms) return MBEDTLS_ERR_SSL_TIMEOUT;
            if (s->deadline_ms - now < wait) wait = uint32_t(s->deadline_ms - now);
        }
        StreamResult r = s->socket->receive(buf, len, wait);
        switch (r.status) {
            case StreamStatus::Ok:
                if (!s->handshake_done) s->alerts.received(buf, r.bytes);
                return clamp_to_int(r.bytes);
            case StreamStatus::Closed: return 0;  // mbedTLS: end of stream
            case StreamStatus::Timeout: return MBEDTLS_ERR_SSL_TIMEOUT;
            case StreamStatus::Error: break;
        }
        return MBEDTLS_ERR_NET_RECV_FAILED;
    }

#if defined(SECURE_OTA_TLS_KEYLOG)
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    static void export_keys(void* ctx, mbedtls_ssl_key_export_type type, const unsigned char* secret, size_t length,
                            const unsigned char client_random[32], const unsigned char*, mbedtls_tls_prf_types) {
        const char* label = nullptr;
        switch (type) {
            case MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET: label = "CLIENT_RANDOM"; break;
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
            case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_HANDSHAKE_TRAFFIC_SECRET: label = "CLIENT_HANDSHAKE_TRAFFIC_SECRET"; break;
            case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_HANDSHAKE_TRAFFIC_SECRET: label = "SERVER_HANDSHAKE_TRAFFIC_SECRET"; break;
            case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_APPLICATION_TRAFFIC_SECRET: label = "CLIENT_TRAFFIC_SECRET_0"; break;
            case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_APPLICATION_TRAFFIC_SECRET: label = "SERVER_TRAFFIC_SECRET_0"; break;
#endif
            default: return;  // early-data secrets: the device sends no early data
        }
        static_cast<TlsSession*>(ctx)->key_log(key_log_line(label, client_random, secret, length));
    }
#else
    static int export_keys(void* ctx, const unsigned char* master_secret, const unsigned char*, size_t, size_t, size_t,
                           const unsigned char client_random[32], const unsigned char*, mbedtls_tls_prf_types) {
        static_cast<TlsSession*>(ctx)->key_log(key_log_line("CLIENT_RANDOM", client_random, master_secret, 48));
        return 0;
    }
#endif
    std::function<void(const std::string&)> key_log;
    bool hello_logged = false;
#endif

    std::unique_ptr<Socket> socket;
    Clock* clock = nullptr;
    uint64_t deadline_ms = 0;  // 0: no deadline beyond the per-recv timeout
    std::string last_error;
    uint32_t send_timeout_ms = 1;
    bool handshake_done = false;
    tls::VerifyContext verify;
    tls::AlertWatch alerts;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    std::shared_ptr<TlsConnector::Rng> rng;  // after ssl and conf: freed after them
    mbedtls_x509_crt ca;
};

}  // namespace

// The session of the last full or resumed handshake, and the server it was made with.
struct TlsConnector::SavedSession {
    SavedSession(std::string h, uint16_t p) : host(std::move(h)), port(p) { mbedtls_ssl_session_init(&session); }
    ~SavedSession() { mbedtls_ssl_session_free(&session); }
    SavedSession(const SavedSession&) = delete;
    SavedSession& operator=(const SavedSession&) = delete;

    std::string host;
    uint16_t port;
    mbedtls_ssl_session session;
};

TlsConnector::~TlsConnector() = default;

TlsConnector::TlsConnector(Network& network, Options options) : network_(network), options_(std::move(options)) {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    // mbedTLS 3.x: TLS 1.3 and MBEDTLS_USE_PSA_CRYPTO need PSA initialised (idempotent).
    if (psa_crypto_init() != PSA_SUCCESS) {
        setup_error_ = "psa_crypto_init failed";
        return;
    }
#endif
    if (options_.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        setup_error_ = "no PEM CA certificate provisioned";
        return;
    }
    mbedtls_x509_crt probe;
    mbedtls_x509_crt_init(&probe);
    int rc = parse_ca(&probe, options_.ca_pem);
    mbedtls_x509_crt_free(&probe);
    if (rc != 0) {
        setup_error_ = "cannot parse the CA certificate: " + tls::error_text(rc);
        return;
    }
    ca_ok_ = true;
}

void TlsConnector::save_session(const mbedtls_ssl_context& ssl, const std::string& host, uint16_t port) {
    saved_.reset();
    // TLS 1.2 only: a TLS 1.3 session (mbedTLS 3.x) is resumable only from a ticket that arrives
    // after the handshake, which this connector does not wait for.
    if (std::strcmp(mbedtls_ssl_get_version(&ssl), "TLSv1.2") != 0) return;
    auto saved = std::make_unique<SavedSession>(host, port);
    if (mbedtls_ssl_get_session(&ssl, &saved->session) == 0) saved_ = std::move(saved);
}

ConnectResult TlsConnector::connect(const std::string& host, uint16_t port, uint32_t timeout_ms) {
    ConnectResult out;
    auto fail = [&out](Outcome o) {
        out.stream.reset();
        out.failure = std::move(o);
        return std::move(out);
    };
    if (!ca_ok_) return fail(Outcome::of(Verdict::NotProvisioned, setup_error_));
    if (timeout_ms == 0) timeout_ms = 1;

    auto s = std::make_unique<TlsSession>(nullptr);
    s->clock = options_.clock;
    // Trusted time first: without it no certificate can be judged.
    if (options_.time) {
        auto now = options_.time->unix_time();
        if (!now) return fail(Outcome::of(Verdict::NoValidTime, "no trusted time to check the server certificate"));
        s->verify.have_time = true;
        s->verify.now = *now;
    }
    std::string down = network_.unavailable();
    if (!down.empty()) return fail(Outcome::of(Verdict::ConnectFailed, down));
    s->verify.ip_len = network_.ip_literal(host, s->verify.ip);
    s->verify.ip_literal = s->verify.ip_len != 0;

    if (!rng_) {
        auto rng = std::make_shared<Rng>();
        const std::string& pers = options_.rng_personalization;
        int seeded = mbedtls_ctr_drbg_seed(&rng->drbg, mbedtls_entropy_func, &rng->entropy,
                                           reinterpret_cast<const unsigned char*>(pers.data()), pers.size());
        if (seeded != 0) return fail(Outcome::of(Verdict::InternalError, "RNG seed failed: " + tls::error_text(seeded)));
        rng_ = std::move(rng);
    }
    s->rng = rng_;
    int rc = parse_ca(&s->ca, options_.ca_pem);
    if (rc != 0) return fail(Outcome::of(Verdict::InternalError, "CA parse failed (heap?): " + tls::error_text(rc)));
    rc = tls::configure_client(&s->conf, &s->ca, &s->verify, mbedtls_ctr_drbg_random, &s->rng->drbg, timeout_ms);
    if (rc != 0) return fail(Outcome::of(Verdict::InternalError, "TLS config failed: " + tls::error_text(rc)));
#if defined(SECURE_OTA_TLS_KEYLOG) && MBEDTLS_VERSION_NUMBER < 0x03000000
    if (options_.key_log) {
        s->key_log = options_.key_log;
        mbedtls_ssl_conf_export_keys_ext_cb(&s->conf, TlsSession::export_keys, s.get());
    }
#endif
    rc = mbedtls_ssl_setup(&s->ssl, &s->conf);
    if (rc != 0) return fail(Outcome::of(Verdict::InternalError, "TLS setup failed (heap?): " + tls::error_text(rc)));
#if defined(SECURE_OTA_TLS_KEYLOG) && MBEDTLS_VERSION_NUMBER >= 0x03000000
    if (options_.key_log) {
        s->key_log = options_.key_log;
        mbedtls_ssl_set_export_keys_cb(&s->ssl, TlsSession::export_keys, s.get());
    }
#endif
    // DNS names are matched by mbedTLS (and sent as SNI); IP literals by tls::verify_callback.
    rc = mbedtls_ssl_set_hostname(&s->ssl, s->verify.ip_literal ? nullptr : host.c_str());
    if (rc != 0) return fail(Outcome::of(Verdict::InternalError, "set_hostname failed: " + tls::error_text(rc)));

    // The last session with this very server, if any. Offering it is all a client does: the server
    // resumes it only if it knows it (its session cache, or a ticket it can decrypt), and otherwise
    // mbedTLS goes on with a full handshake, certificate checks included.
    bool offered = false;
    if (saved_ && saved_->host == host && saved_->port == port) {
        offered = mbedtls_ssl_set_session(&s->ssl, &saved_->session) == 0;
    }

    std::string error;
    s->socket = network_.open_tcp(host, port, timeout_ms, error);
    if (!s->socket) return fail(Outcome::of(Verdict::ConnectFailed, error));
    s->send_timeout_ms = timeout_ms;
    mbedtls_ssl_set_bio(&s->ssl, s.get(), TlsSession::bio_send, nullptr, TlsSession::bio_recv_timeout);

    {
        TlsSession::Deadline bound(*s, timeout_ms);
        do rc = mbedtls_ssl_handshake(&s->ssl);
        while (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE);
    }
    if (rc != 0) {
        saved_.reset();  // whatever went wrong, the next connection starts from a full handshake
        return fail(tls::handshake_failure(s->ssl, rc, s->alerts.last_alert()));
    }
    s->handshake_done = true;
    // Resumed: the session was offered and no certificate came (verify_callback did not run).
    out.resumed = offered && !s->verify.chain_seen;
    save_session(s->ssl, host, port);
    out.stream = std::move(s);
    return out;
}

}  // namespace secure_ota::ota
