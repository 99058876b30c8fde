#include "secure_ota/serial_port.h"

namespace secure_ota {

bool LineReader::poll(SerialPort& port, std::string& line) {
    for (int c; (c = port.read_byte()) >= 0;) {
        if (c == '\n') {
            bool drop = overflow_;
            overflow_ = false;
            if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
            line.swap(buf_);
            buf_.clear();
            if (!drop) return true;
            continue;
        }
        if (buf_.size() >= kMaxLine) {
            overflow_ = true;
            buf_.clear();
        }
        buf_ += static_cast<char>(c);
    }
    return false;
}

}  // namespace secure_ota
