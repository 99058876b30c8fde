#include "lwip_network.h"

#include <cerrno>
#include <cstring>

#include <lwip/netdb.h>
#include <lwip/sockets.h>

namespace esp32_port {

namespace ota = secure_ota::ota;
using ota::StreamResult;
using ota::StreamStatus;

namespace {

// Waits until fd is readable (write=false) or writable (write=true): 1 ready, 0 timeout, -1 error.
int wait_fd(int fd, bool write, uint32_t timeout_ms) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    timeval tv{};
    tv.tv_sec = long(timeout_ms / 1000);
    tv.tv_usec = long(timeout_ms % 1000) * 1000;
    int r = lwip_select(fd + 1, write ? nullptr : &set, write ? &set : nullptr, nullptr, &tv);
    return r > 0 ? 1 : r;
}

class LwipSocket : public ota::Socket {
public:
    explicit LwipSocket(int fd) : fd_(fd) {}
    ~LwipSocket() override { lwip_close(fd_); }

    StreamResult send(const uint8_t* data, size_t length, uint32_t timeout_ms) override {
        for (;;) {
            ssize_t n = lwip_send(fd_, data, length, MSG_DONTWAIT);
            if (n > 0) return {StreamStatus::Ok, size_t(n)};
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                int w = wait_fd(fd_, true, timeout_ms);
                if (w == 1) continue;
                return {w == 0 ? StreamStatus::Timeout : StreamStatus::Error, 0};
            }
            return {StreamStatus::Error, 0};
        }
    }

    StreamResult receive(uint8_t* out, size_t capacity, uint32_t timeout_ms) override {
        int w = wait_fd(fd_, false, timeout_ms);
        if (w <= 0) return {w == 0 ? StreamStatus::Timeout : StreamStatus::Error, 0};
        ssize_t n = lwip_recv(fd_, out, capacity, MSG_DONTWAIT);
        if (n > 0) return {StreamStatus::Ok, size_t(n)};
        if (n == 0) return {StreamStatus::Closed, 0};
        if (errno == EAGAIN || errno == EWOULDBLOCK) return {StreamStatus::Timeout, 0};
        return {StreamStatus::Error, 0};
    }

private:
    int fd_;
};

// Resolves host:port and returns the first socket of `type` that connects, bounded by timeout_ms.
int connect_any(const std::string& host, uint16_t port, int type, uint32_t timeout_ms, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int gai = lwip_getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (gai != 0 || list == nullptr) {
        error = "cannot resolve " + host + " (getaddrinfo " + std::to_string(gai) + ")";
        return -1;
    }
    int fd = -1;
    error = "no address for " + host;
    for (addrinfo* a = list; a != nullptr && fd < 0; a = a->ai_next) {
        int s = lwip_socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s < 0) continue;
        lwip_fcntl(s, F_SETFL, lwip_fcntl(s, F_GETFL, 0) | O_NONBLOCK);
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
            fd = s;
        } else {
            error = "connect to " + host + ":" + service + " failed: " + std::strerror(errno);
            lwip_close(s);
        }
    }
    lwip_freeaddrinfo(list);
    return fd;
}

}  // namespace

std::string LwipNetwork::unavailable() { return link_up_ && !link_up_() ? "WiFi not connected" : std::string(); }

std::unique_ptr<ota::Socket> LwipNetwork::open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                                   std::string& error) {
    int fd = connect_any(host, port, SOCK_STREAM, timeout_ms, error);
    if (fd < 0) return nullptr;
    int one = 1;
    lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return std::make_unique<LwipSocket>(fd);
}

std::unique_ptr<ota::Socket> LwipNetwork::open_udp(const std::string& host, uint16_t port, std::string& error) {
    int fd = connect_any(host, port, SOCK_DGRAM, 0, error);  // a UDP connect never waits
    if (fd < 0) return nullptr;
    return std::make_unique<LwipSocket>(fd);
}

size_t LwipNetwork::ip_literal(const std::string& host, uint8_t out[16]) {
    if (lwip_inet_pton(AF_INET, host.c_str(), out) == 1) return 4;
    if (lwip_inet_pton(AF_INET6, host.c_str(), out) == 1) return 16;
    return 0;
}

}  // namespace esp32_port
