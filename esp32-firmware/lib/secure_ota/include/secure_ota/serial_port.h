// The board's UART as the portable code sees it: bytes out, bytes in, never blocking.
// Arduino's Serial on the ESP32; the pseudo-terminal's master side on the host.
#pragma once

#include <cstddef>
#include <string>

namespace secure_ota {

class SerialPort {
public:
    virtual ~SerialPort() = default;
    virtual void write(const char* data, size_t length) = 0;
    // Next received byte, or -1 when none is waiting.
    virtual int read_byte() = 0;
};

// Splits received bytes into lines (LF or CRLF); bounded so a peer cannot exhaust memory.
class LineReader {
public:
    static constexpr size_t kMaxLine = 512;
    // True when a complete line is in `line`. Over-long lines are dropped whole.
    bool poll(SerialPort& port, std::string& line);

private:
    std::string buf_;
    bool overflow_ = false;
};

}  // namespace secure_ota
