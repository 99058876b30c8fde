// The real ESP32 DevKit V1 as a secure_ota::Board: Serial, esp_flash, HD44780 over a
// PCF8574 I2C backpack, the on-board LED (GPIO 2), esp_restart().
#pragma once

#include <Arduino.h>
#include <LiquidCrystal_I2C.h>

#include <memory>

#include "esp32_flash.h"
#include "secure_ota/board.h"

namespace esp32_port {

class ArduinoSerialPort : public secure_ota::SerialPort {
public:
    void write(const char* data, size_t length) override { Serial.write(reinterpret_cast<const uint8_t*>(data), length); }
    int read_byte() override { return Serial.available() > 0 ? Serial.read() : -1; }
};

class ArduinoClock : public secure_ota::Clock {
public:
    uint32_t millis() override { return ::millis(); }
    void sleep_ms(uint32_t ms) override { delay(ms); }
};

class I2cLcd : public secure_ota::LcdDriver {
public:
    explicit I2cLcd(uint8_t address = 0x27) : lcd_(address, secure_ota::kLcdColumns, secure_ota::kLcdRows) {}
    void begin();
    void define_glyph(uint8_t code, const secure_ota::GlyphBitmap& bitmap) override;
    void write_row(int row, const std::array<uint8_t, secure_ota::kLcdColumns>& codes) override;

private:
    LiquidCrystal_I2C lcd_;
};

class GpioLed : public secure_ota::LedDriver {
public:
    explicit GpioLed(uint8_t pin = 2) : pin_(pin) {}
    void begin() { pinMode(pin_, OUTPUT); }
    void set_level(bool on) override { digitalWrite(pin_, on ? HIGH : LOW); }

private:
    uint8_t pin_;
};

// The anti-rollback minimum. Arduino-ESP32's prebuilt bootloader enables rollback but not
// eFuse anti-rollback, and eFuse bits on a lab board cannot be undone, so the minimum is
// kept in NVS here: enforced by the firmware's OTA checks, not by the bootloader. The host
// board models the eFuse behaviour exactly.
class NvsSecureVersionStore : public secure_ota::SecureVersionStore {
public:
    uint32_t min_secure_version() const override;
    bool raise_min_secure_version(uint32_t version) override;
};

class Esp32Board : public secure_ota::Board {
public:
    void begin();

    secure_ota::Flash& flash() override { return flash_; }
    secure_ota::SerialPort& serial() override { return serial_; }
    secure_ota::Clock& clock() override { return clock_; }
    secure_ota::SecureVersionStore& secure_version_store() override { return fuses_; }
    secure_ota::LcdDriver& lcd_driver() override { return lcd_; }
    secure_ota::LedDriver& led_driver() override { return led_; }
    secure_ota::ResetReason reset_reason() const override;
    uint32_t running_partition_offset() const override;
    uint16_t chip_id() const override { return 0x0000; }  // ESP32
    [[noreturn]] void restart() override;
    // ESP-IDF's task watchdog on the loop task (the one that runs setup()): Arduino-ESP32's
    // sdkconfig starts it with a 5 s timeout and panic on, so a hang resets with ESP_RST_TASK_WDT.
    void task_watchdog_add() override;
    void task_watchdog_delete() override;
    // ESP-IDF's esp_ota_* API (esp32_ota_ops.h), not raw flash writes.
    std::unique_ptr<secure_ota::OtaOps> make_ota_ops(const secure_ota::PartitionTable& table,
                                                     const secure_ota::PartitionEntry& running) override;

private:
    Esp32Flash flash_;
    ArduinoSerialPort serial_;
    ArduinoClock clock_;
    NvsSecureVersionStore fuses_;
    I2cLcd lcd_;
    GpioLed led_;
};

}  // namespace esp32_port
