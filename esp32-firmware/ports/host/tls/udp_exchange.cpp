#include "udp_exchange.h"

#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace secure_ota::host {

UdpExchange::~UdpExchange() {
    if (fd_ >= 0) ::close(fd_);
}

bool UdpExchange::open() {
    if (fd_ >= 0) return true;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port_);
    int gai = ::getaddrinfo(host_.c_str(), service.c_str(), &hints, &list);
    if (gai != 0) {
        error_ = std::string("cannot resolve time server: ") + gai_strerror(gai);
        return false;
    }
    for (addrinfo* a = list; a && fd_ < 0; a = a->ai_next) {
        int s = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (s < 0) continue;
        if (::connect(s, a->ai_addr, a->ai_addrlen) == 0) fd_ = s;
        else ::close(s);
    }
    ::freeaddrinfo(list);
    if (fd_ < 0) error_ = "cannot open a UDP socket to the time server";
    return fd_ >= 0;
}

long UdpExchange::exchange(const uint8_t* req, size_t len, uint8_t* resp, size_t cap, uint32_t timeout_ms) {
    if (!open()) return -1;
    if (::send(fd_, req, len, 0) != ssize_t(len)) {
        error_ = std::string("send: ") + std::strerror(errno);
        return -1;
    }
    pollfd p{fd_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, int(timeout_ms));
    while (r < 0 && errno == EINTR);
    if (r <= 0) {
        error_ = "time server did not answer";
        return -1;
    }
    ssize_t n = ::recv(fd_, resp, cap, 0);
    if (n < 0) {
        error_ = std::string("recv: ") + std::strerror(errno);
        return -1;
    }
    return long(n);
}

uint64_t random_nonce(void*) {
    static std::random_device rd;
    return (uint64_t(rd()) << 32) ^ uint64_t(rd());
}

}  // namespace secure_ota::host
