#include "pty_serial_port.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace vesp32 {

PtySerialPort::PtySerialPort(int fd) : fd_(fd) {
    int flags = fcntl(fd_, F_GETFL);
    if (flags >= 0) fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

void PtySerialPort::write(const char* data, size_t length) {
    // A full line usually fits the pty buffer; give a slow reader a moment before dropping.
    int waits = 0;
    while (length > 0) {
        ssize_t n = ::write(fd_, data, length);
        if (n > 0) {
            data += n;
            length -= static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN && waits++ < 20) {
            pollfd p{fd_, POLLOUT, 0};
            poll(&p, 1, 10);
            continue;
        }
        dropped_ += length;
        return;
    }
}

int PtySerialPort::read_byte() {
    if (pos_ == len_) {
        ssize_t n = ::read(fd_, buf_, sizeof buf_);
        if (n <= 0) return -1;
        len_ = static_cast<int>(n);
        pos_ = 0;
    }
    return buf_[pos_++];
}

void PtySerialPort::wait_readable(uint32_t ms) {
    if (pos_ < len_) return;  // bytes already buffered
    pollfd p{fd_, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(ms));
    // Nobody on the other end (POLLHUP without data): nothing will come, so just let the time pass.
    if (n > 0 && !(p.revents & POLLIN)) usleep(ms * 1000);
}

}  // namespace vesp32
