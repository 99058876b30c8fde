#include "secure_ota/ota/server_address.h"

namespace secure_ota::ota {

namespace {
bool parse_port(const std::string& digits, uint16_t& port) {
    if (digits.empty() || digits.size() > 5) return false;
    unsigned long value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + unsigned(c - '0');
    }
    if (value == 0 || value > 65535) return false;
    port = uint16_t(value);
    return true;
}
}  // namespace

std::optional<ServerAddress> parse_server_address(const std::string& text, uint16_t default_port, std::string& error) {
    ServerAddress out;
    out.port = default_port;
    std::string port_text;
    bool has_port = false;
    if (!text.empty() && text.front() == '[') {  // [IPv6]:port or [IPv6]
        size_t close = text.find(']');
        if (close == std::string::npos) {
            error = "'" + text + "': missing ']' after the IPv6 address";
            return std::nullopt;
        }
        out.host = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') {
                error = "'" + text + "': expected ':port' after ']'";
                return std::nullopt;
            }
            has_port = true;
            port_text = text.substr(close + 2);
        }
    } else if (text.find(':') != std::string::npos && text.find(':') == text.rfind(':')) {  // host:port
        size_t colon = text.find(':');
        out.host = text.substr(0, colon);
        has_port = true;
        port_text = text.substr(colon + 1);
    } else {
        out.host = text;  // a name, an IPv4 literal or a bare IPv6 literal
    }
    if (out.host.empty()) {
        error = "'" + text + "': no host name or address";
        return std::nullopt;
    }
    if (has_port && !parse_port(port_text, out.port)) {
        error = "'" + text + "': the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    return out;
}

}  // namespace secure_ota::ota
