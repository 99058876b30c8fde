#include "esp32_board.h"

#include "esp32_ota_ops.h"

#include <Preferences.h>
#include <Wire.h>
#include <esp_ota_ops.h>
#include <esp_system.h>
#include <esp_task_wdt.h>

namespace esp32_port {

void I2cLcd::begin() {
    lcd_.init();
    lcd_.backlight();
}

void I2cLcd::define_glyph(uint8_t code, const secure_ota::GlyphBitmap& bitmap) {
    uint8_t rows[8];
    for (int i = 0; i < 8; ++i) rows[i] = bitmap[i];
    lcd_.createChar(code, rows);
}

void I2cLcd::write_row(int row, const std::array<uint8_t, secure_ota::kLcdColumns>& codes) {
    lcd_.setCursor(0, row);
    for (uint8_t c : codes) lcd_.write(c);  // write(uint8_t): code 0 is a glyph, not a terminator
}

uint32_t NvsSecureVersionStore::min_secure_version() const {
    Preferences p;
    p.begin("secure_ota", true);
    uint32_t v = p.getUInt("min_secver", 0);
    p.end();
    return v;
}

bool NvsSecureVersionStore::raise_min_secure_version(uint32_t version) {
    if (version <= min_secure_version()) return true;
    Preferences p;
    p.begin("secure_ota", false);
    bool ok = p.putUInt("min_secver", version) == sizeof(uint32_t);
    p.end();
    return ok;
}

void Esp32Board::begin() {
    Serial.begin(115200);
    Wire.begin();  // SDA 21, SCL 22 on the DevKit V1
    lcd_.begin();
    led_.begin();
}

secure_ota::ResetReason Esp32Board::reset_reason() const {
    using R = secure_ota::ResetReason;
    switch (esp_reset_reason()) {
        case ESP_RST_POWERON: return R::PowerOn;
        case ESP_RST_EXT: return R::External;
        case ESP_RST_SW: return R::Software;
        case ESP_RST_PANIC: return R::Panic;
        case ESP_RST_TASK_WDT:
        case ESP_RST_INT_WDT:
        case ESP_RST_WDT: return R::TaskWatchdog;
        case ESP_RST_BROWNOUT: return R::Brownout;
        default: return R::Unknown;
    }
}

uint32_t Esp32Board::running_partition_offset() const {
    const esp_partition_t* p = esp_ota_get_running_partition();
    return p ? p->address : 0;
}

std::unique_ptr<secure_ota::OtaOps> Esp32Board::make_ota_ops(const secure_ota::PartitionTable& table,
                                                             const secure_ota::PartitionEntry& running) {
    return std::make_unique<Esp32OtaOps>(table, running, fuses_);
}

void Esp32Board::task_watchdog_add() {
    esp_err_t e = esp_task_wdt_add(nullptr);
    if (e == ESP_ERR_INVALID_STATE) {
        // An sdkconfig without CONFIG_ESP_TASK_WDT_INIT: start it as Arduino-ESP32's does.
        esp_task_wdt_config_t config{};
        config.timeout_ms = 5000;
        config.idle_core_mask = 0;
        config.trigger_panic = true;
        e = esp_task_wdt_init(&config);
        if (e == ESP_OK) e = esp_task_wdt_add(nullptr);
    }
    if (e != ESP_OK) Serial.printf("task watchdog: cannot watch the app's start (%s)\n", esp_err_to_name(e));
}

void Esp32Board::task_watchdog_delete() {
    // ESP_ERR_NOT_FOUND when add failed: nothing to undo.
    esp_task_wdt_delete(nullptr);
}

void Esp32Board::restart() {
    Serial.flush();
    esp_restart();
}

}  // namespace esp32_port
