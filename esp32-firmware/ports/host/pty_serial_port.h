// The app's end of the virtual UART: the pseudo-terminal's master side, inherited from the
// supervisor. Non-blocking both ways: a UART with nobody listening loses bytes, it never
// stalls the CPU, and neither may this.
#pragma once

#include <cstdint>

#include "secure_ota/serial_port.h"

namespace vesp32 {

class PtySerialPort : public secure_ota::SerialPort {
public:
    explicit PtySerialPort(int fd);
    void write(const char* data, size_t length) override;
    int read_byte() override;
    unsigned long dropped_bytes() const { return dropped_; }
    // Waits up to `ms` for input (a command from the workbench); returns early when one comes.
    void wait_readable(uint32_t ms);

private:
    int fd_;
    unsigned long dropped_ = 0;
    unsigned char buf_[256];
    int len_ = 0, pos_ = 0;
};

}  // namespace vesp32
