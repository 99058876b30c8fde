#include "esp32_flash.h"

#include <esp_flash.h>

namespace esp32_port {

using secure_ota::FlashStatus;

uint32_t Esp32Flash::size() const {
    uint32_t bytes = 0;
    return esp_flash_get_size(nullptr, &bytes) == ESP_OK ? bytes : 0;
}

FlashStatus Esp32Flash::read(uint32_t address, void* out, size_t length) const {
    return esp_flash_read(nullptr, out, address, length) == ESP_OK ? FlashStatus::Ok : FlashStatus::IoError;
}

FlashStatus Esp32Flash::write(uint32_t, const void*, size_t) { return FlashStatus::IoError; }

FlashStatus Esp32Flash::erase(uint32_t, size_t) { return FlashStatus::IoError; }

}  // namespace esp32_port
