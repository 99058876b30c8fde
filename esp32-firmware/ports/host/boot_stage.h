// What happens between power-on and the app: the ESP-IDF bootloader rules (portable core)
// against the flash file, then the chosen image's host program is loaded from flash into
// an anonymous memory file and executed (memfd_create + fexecve): no temp file, and only
// bytes that were verified in flash ever run.
#pragma once

#include <string>

namespace vesp32 {

struct BootStageConfig {
    std::string flash_path;
    std::string efuse_path;
    int uart_fd = -1;
    int fault_fd = -1;
    std::string reset_reason;  // poweron, sw, ext, panic
};

// Runs in the child the supervisor forked. Never returns on success (the app replaces the
// process); returns an exit code (kExitNoBootableApp, kExitBoardError) otherwise.
int run_boot_stage(const BootStageConfig& config);

}  // namespace vesp32
