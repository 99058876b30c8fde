// The real chip's SPI flash behind secure_ota::Flash, read-only, through ESP-IDF's esp_flash
// API (available under Arduino-ESP32). Addresses are absolute, as on the virtual board. The
// runtime reads the partition table, factory data and app descriptors through it; every
// write to an app slot or to otadata goes through ESP-IDF's esp_ota_* API (esp32_ota_ops.h),
// so write() and erase() refuse: no raw write can bypass flash encryption or Secure Boot.
#pragma once

#include "secure_ota/flash.h"

namespace esp32_port {

class Esp32Flash : public secure_ota::Flash {
public:
    uint32_t size() const override;
    secure_ota::FlashStatus read(uint32_t address, void* out, size_t length) const override;
    secure_ota::FlashStatus write(uint32_t address, const void* data, size_t length) override;
    secure_ota::FlashStatus erase(uint32_t address, size_t length) override;
};

}  // namespace esp32_port
