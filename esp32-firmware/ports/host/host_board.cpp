#include "host_board.h"

#include <cstdlib>
#include <thread>
#include <unistd.h>

#include "board_environment.h"

namespace vesp32 {

uint32_t SteadyClock::millis() {
    return static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count());
}

void SteadyClock::sleep_ms(uint32_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

bool HostBoard::attach_from_environment(std::string& error) {
    const char* flash = std::getenv(kEnvFlash);
    const char* uart = std::getenv(kEnvUartFd);
    const char* efuse = std::getenv(kEnvEfuse);
    const char* offset = std::getenv(kEnvRunningOffset);
    if (!flash || !uart || !efuse || !offset || !std::getenv(kEnvFaultFd)) {
        error = "this program is a virtual ESP32 app: it runs inside the board, not on its own. "
                "Start it with: virtual-esp32 factory --flash F --app IMAGE, then virtual-esp32 run --flash F --pty-link PATH";
        return false;
    }
    file_ = FlashFile::open(flash, error);
    if (!file_) return false;
    faults_.reset(FaultMemory::attach_from_environment(error));
    if (!faults_) return false;
    flash_ = std::make_unique<secure_ota::PowerCutFlash>(file_->nor(), faults_->counter(), [] { cut_power_now(); });
    serial_ = std::make_unique<PtySerialPort>(std::atoi(uart));
    report_flash_violations(file_->nor(), *serial_);
    efuse_ = std::make_unique<EfuseFile>(efuse);
    const char* reason = std::getenv(kEnvResetReason);
    reset_reason_ = secure_ota::parse_reset_reason(reason ? reason : "");
    running_offset_ = static_cast<uint32_t>(std::strtoul(offset, nullptr, 0));
    return true;
}

void HostBoard::task_watchdog_add() {
    faults_->watchdog().deadline_ms = monotonic_ms() + TaskWatchdogState::kTimeoutMs;
}

void HostBoard::task_watchdog_delete() { faults_->watchdog().deadline_ms = 0; }

void HostBoard::restart() {
    // Reboot = leave the app; the supervisor starts the bootloader again with reason "sw".
    _exit(kExitReboot);
}

}  // namespace vesp32
