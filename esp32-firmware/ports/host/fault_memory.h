// The power-cut counter shared by every program of one powered board: a FlashOpCounter in a
// memfd that the supervisor creates and its children inherit (VESP32_FAULT_FD). Operations
// are counted across the boot stage and the app, which are different processes, and the
// supervisor can read and arm it at any time. The same memory carries the task watchdog's
// deadline, which the app sets and the supervisor enforces.
#pragma once

#include <cstdint>
#include <string>

#include "secure_ota/power_cut_flash.h"

namespace vesp32 {

// ESP-IDF's task watchdog as the board sees it: the app writes when it must next reset it
// (CLOCK_MONOTONIC milliseconds, the same clock in every process), 0 when no task is watched.
// The supervisor resets the chip (reason task_wdt) once that time has passed.
struct TaskWatchdogState {
    // CONFIG_ESP_TASK_WDT_TIMEOUT_S of Arduino-ESP32's sdkconfig (5 s, CONFIG_ESP_TASK_WDT_PANIC on).
    static constexpr uint32_t kTimeoutMs = 5000;
    volatile int64_t deadline_ms = 0;
};

int64_t monotonic_ms();

class FaultMemory {
public:
    ~FaultMemory();
    FaultMemory(const FaultMemory&) = delete;
    FaultMemory& operator=(const FaultMemory&) = delete;

    static FaultMemory* create(std::string& error);                  // in the supervisor
    static FaultMemory* attach(int fd, std::string& error);          // in a child
    static FaultMemory* attach_from_environment(std::string& error); // child, via VESP32_FAULT_FD

    secure_ota::FlashOpCounter& counter() { return shared_->counter; }
    TaskWatchdogState& watchdog() { return shared_->watchdog; }
    int fd() const { return fd_; }

private:
    struct Shared {
        secure_ota::FlashOpCounter counter;
        TaskWatchdogState watchdog;
    };
    FaultMemory() = default;
    int fd_ = -1;
    Shared* shared_ = nullptr;
};

// The power-cut reaction of a board process: die at once, like a CPU losing its supply.
[[noreturn]] void cut_power_now();

}  // namespace vesp32
