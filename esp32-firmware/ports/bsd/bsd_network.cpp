#include "bsd_network.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace secure_ota::bsd {

using ota::StreamResult;
using ota::StreamStatus;

namespace {

// Waits for `events` on fd: 1 ready, 0 timeout, -1 error.
int wait_for(int fd, short events, uint32_t timeout_ms) {
    pollfd p{fd, events, 0};
    int r;
    do r = ::poll(&p, 1, int(timeout_ms));
    while (r < 0 && errno == EINTR);
    return r > 0 ? 1 : r;
}

class BsdSocket : public ota::Socket {
public:
    explicit BsdSocket(int fd) : fd_(fd) {}
    ~BsdSocket() override { ::close(fd_); }

    StreamResult send(const uint8_t* data, size_t length, uint32_t timeout_ms) override {
        for (;;) {
            ssize_t n = ::send(fd_, data, length, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) return {StreamStatus::Ok, size_t(n)};
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                int w = wait_for(fd_, POLLOUT, timeout_ms);
                if (w == 1) continue;
                return {w == 0 ? StreamStatus::Timeout : StreamStatus::Error, 0};
            }
            return {StreamStatus::Error, 0};
        }
    }

    StreamResult receive(uint8_t* out, size_t capacity, uint32_t timeout_ms) override {
        int w = wait_for(fd_, POLLIN, timeout_ms);
        if (w <= 0) return {w == 0 ? StreamStatus::Timeout : StreamStatus::Error, 0};
        for (;;) {
            ssize_t n = ::recv(fd_, out, capacity, MSG_DONTWAIT);
            if (n > 0) return {StreamStatus::Ok, size_t(n)};
            if (n == 0) return {StreamStatus::Closed, 0};
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return {StreamStatus::Timeout, 0};
            return {StreamStatus::Error, 0};
        }
    }

private:
    int fd_;
};

// getaddrinfo's answer in words (lwIP has no gai_strerror).
std::string resolver_error(int gai) {
    switch (gai) {
        case EAI_NONAME: return "no such host";
        case EAI_FAIL: return "the name server failed";
        case EAI_MEMORY: return "out of memory";
        default: return "getaddrinfo error " + std::to_string(gai);
    }
}

// Resolves host:port and returns the first socket of `type` that connects, bounded by timeout_ms.
int connect_any(const std::string& host, uint16_t port, int type, uint32_t timeout_ms, const std::string& local,
                std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int gai = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (gai != 0) {
        error = "cannot resolve " + host + ": " + resolver_error(gai);
        return -1;
    }
    int fd = -1;
    error = "no address for " + host;
    for (addrinfo* a = list; a != nullptr && fd < 0; a = a->ai_next) {
        int s = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s < 0) continue;
#if defined(FD_CLOEXEC)
        ::fcntl(s, F_SETFD, FD_CLOEXEC);  // the host: not inherited by the programs it starts
#endif
        ::fcntl(s, F_SETFL, ::fcntl(s, F_GETFL, 0) | O_NONBLOCK);
        if (!local.empty() && a->ai_family == AF_INET) {
            sockaddr_in from{};
            from.sin_family = AF_INET;
            if (::inet_pton(AF_INET, local.c_str(), &from.sin_addr) != 1 ||
                ::bind(s, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
                error = "cannot use the local address " + local + ": " + std::strerror(errno);
                ::close(s);
                continue;
            }
        }
        int rc = ::connect(s, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            int w = wait_for(s, POLLOUT, timeout_ms);
            if (w == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                ::getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
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
            ::close(s);
        }
    }
    ::freeaddrinfo(list);
    return fd;
}

}  // namespace

std::string BsdNetwork::unavailable() { return link_up_ && !link_up_() ? "WiFi not connected" : std::string(); }

std::unique_ptr<ota::Socket> BsdNetwork::open_tcp(const std::string& host, uint16_t port, uint32_t timeout_ms,
                                                    std::string& error) {
    int fd = connect_any(host, port, SOCK_STREAM, timeout_ms, local_, error);
    if (fd < 0) return nullptr;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return std::make_unique<BsdSocket>(fd);
}

std::unique_ptr<ota::Socket> BsdNetwork::open_udp(const std::string& host, uint16_t port, std::string& error) {
    int fd = connect_any(host, port, SOCK_DGRAM, 0, local_, error);  // a UDP connect never waits
    if (fd < 0) return nullptr;
    return std::make_unique<BsdSocket>(fd);
}

size_t BsdNetwork::ip_literal(const std::string& host, uint8_t out[16]) {
    if (::inet_pton(AF_INET, host.c_str(), out) == 1) return 4;
    if (::inet_pton(AF_INET6, host.c_str(), out) == 1) return 16;
    return 0;
}

}  // namespace secure_ota::bsd
