// The virtual ESP32 as a Board, in the process that runs an app: flash file (behind the
// power-cut counter), pty UART, eFuse file, and a clock. Built from what the supervisor and
// the boot stage put in the environment.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "efuse_file.h"
#include "fault_memory.h"
#include "flash_file.h"
#include "pty_serial_port.h"
#include "secure_ota/app_image.h"
#include "secure_ota/board.h"
#include "secure_ota/power_cut_flash.h"

namespace vesp32 {

class SteadyClock : public secure_ota::Clock {
public:
    uint32_t millis() override;
    void sleep_ms(uint32_t ms) override;

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class HostBoard : public secure_ota::Board {
public:
    // False with `error` when the program was not started by virtual-esp32.
    bool attach_from_environment(std::string& error);

    secure_ota::Flash& flash() override { return *flash_; }
    secure_ota::SerialPort& serial() override { return *serial_; }
    secure_ota::Clock& clock() override { return clock_; }
    secure_ota::SecureVersionStore& secure_version_store() override { return *efuse_; }
    secure_ota::LcdDriver& lcd_driver() override { return lcd_; }
    secure_ota::LedDriver& led_driver() override { return led_; }
    secure_ota::ResetReason reset_reason() const override { return reset_reason_; }
    uint32_t running_partition_offset() const override { return running_offset_; }
    uint16_t chip_id() const override { return secure_ota::chip_id::kHost; }
    [[noreturn]] void restart() override;
    // The supervisor watches the deadline (fault_memory.h) and resets the board when it passes.
    void task_watchdog_add() override;
    void task_watchdog_delete() override;
    // The app's idle wait between two loops: returns as soon as a command arrives on the UART,
    // so that a "check" starts at once instead of after the rest of a fixed sleep.
    void idle(uint32_t ms) { serial_->wait_readable(ms); }

private:
    std::unique_ptr<FlashFile> file_;
    std::unique_ptr<FaultMemory> faults_;
    std::unique_ptr<secure_ota::PowerCutFlash> flash_;
    std::unique_ptr<PtySerialPort> serial_;
    std::unique_ptr<EfuseFile> efuse_;
    SteadyClock clock_;
    // The host has no glass and no GPIO: the LCD and LED are seen through telemetry only.
    secure_ota::NullLcdDriver lcd_;
    secure_ota::NullLedDriver led_;
    secure_ota::ResetReason reset_reason_ = secure_ota::ResetReason::Unknown;
    uint32_t running_offset_ = 0;
};

}  // namespace vesp32
