// Everything the firmware needs from the hardware, as abstract services. ports/esp32 and
// ports/host each provide one Board; the apps and the OTA code only ever see this.
#pragma once

#include <cstdint>
#include <memory>

#include "secure_ota/flash.h"
#include "secure_ota/lcd.h"
#include "secure_ota/led.h"
#include "secure_ota/ota_ops.h"
#include "secure_ota/secure_version_store.h"
#include "secure_ota/serial_port.h"
#include "secure_ota/telemetry.h"

namespace secure_ota {

class Clock {
public:
    virtual ~Clock() = default;
    virtual uint32_t millis() = 0;             // since this boot
    virtual void sleep_ms(uint32_t ms) = 0;
};

class Board {
public:
    virtual ~Board() = default;
    virtual Flash& flash() = 0;
    virtual SerialPort& serial() = 0;
    virtual Clock& clock() = 0;
    virtual SecureVersionStore& secure_version_store() = 0;
    virtual LcdDriver& lcd_driver() = 0;
    virtual LedDriver& led_driver() = 0;
    virtual ResetReason reset_reason() const = 0;
    // Flash address of the partition the bootloader started (esp_ota_get_running_partition).
    virtual uint32_t running_partition_offset() const = 0;
    virtual uint16_t chip_id() const = 0;
    // esp_restart(): back into the bootloader. Does not return.
    [[noreturn]] virtual void restart() = 0;
    // ESP-IDF's task watchdog for the calling task (esp_task_wdt_add / esp_task_wdt_delete). Once
    // added, a task that does not reset it within the watchdog's timeout (ESP-IDF's default: 5 s,
    // panic on) resets the chip with reason task_wdt. The runtime watches the app's start with it
    // (self-test and start), so a release that hangs there is reset and rolled back, not left
    // hanging. Default: a board without one.
    virtual void task_watchdog_add() {}
    virtual void task_watchdog_delete() {}
    // The OTA backend for the running app. By default the core's FlashOtaOps over flash()
    // (the virtual board); the real chip returns one over ESP-IDF's esp_ota_* API.
    virtual std::unique_ptr<OtaOps> make_ota_ops(const PartitionTable& table, const PartitionEntry& running);
};

}  // namespace secure_ota
