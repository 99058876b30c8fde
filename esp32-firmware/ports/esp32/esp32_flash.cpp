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

FlashStatus Esp32Flash::write(uint32_t address, const void* data, size_t length) {
    // esp_flash_write ANDs into the cells like the chip does; the portable code always
    // erases first, and the NOR rules are enforced (and tested) on the virtual board.
    return esp_flash_write(nullptr, data, address, length) == ESP_OK ? FlashStatus::Ok : FlashStatus::IoError;
}

FlashStatus Esp32Flash::erase(uint32_t address, size_t length) {
    if (address % secure_ota::kFlashSectorSize || length % secure_ota::kFlashSectorSize) return FlashStatus::Misaligned;
    return esp_flash_erase_region(nullptr, address, length) == ESP_OK ? FlashStatus::Ok : FlashStatus::IoError;
}

}  // namespace esp32_port
