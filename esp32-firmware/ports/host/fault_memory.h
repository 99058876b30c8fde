// The power-cut counter shared by every program of one powered board: a FlashOpCounter in a
// memfd that the supervisor creates and its children inherit (VESP32_FAULT_FD). Operations
// are counted across the boot stage and the app, which are different processes, and the
// supervisor can read and arm it at any time.
#pragma once

#include <string>

#include "secure_ota/power_cut_flash.h"

namespace vesp32 {

class FaultMemory {
public:
    ~FaultMemory();
    FaultMemory(const FaultMemory&) = delete;
    FaultMemory& operator=(const FaultMemory&) = delete;

    static FaultMemory* create(std::string& error);                  // in the supervisor
    static FaultMemory* attach(int fd, std::string& error);          // in a child
    static FaultMemory* attach_from_environment(std::string& error); // child, via VESP32_FAULT_FD

    secure_ota::FlashOpCounter& counter() { return *counter_; }
    int fd() const { return fd_; }

private:
    FaultMemory() = default;
    int fd_ = -1;
    secure_ota::FlashOpCounter* counter_ = nullptr;
};

// The power-cut reaction of a board process: die at once, like a CPU losing its supply.
[[noreturn]] void cut_power_now();

}  // namespace vesp32
