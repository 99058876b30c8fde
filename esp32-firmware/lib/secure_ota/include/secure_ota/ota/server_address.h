// "host", "host:port", "[IPv6]:port" or a bare IPv6 literal, as the ports' settings give a
// server (VESP32_SNTP_SERVER on the host, SECURE_OTA_SNTP_SERVER on the ESP32).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace secure_ota::ota {

struct ServerAddress {
    std::string host;
    uint16_t port = 0;
};

// nullopt for an empty host or a port that is not a number from 1 to 65535; `error` then
// says which, quoting `text`.
std::optional<ServerAddress> parse_server_address(const std::string& text, uint16_t default_port, std::string& error);

}  // namespace secure_ota::ota
