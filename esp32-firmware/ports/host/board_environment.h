// How the supervisor hands the board to the programs it starts (the boot stage, then the
// app it exec's): environment variables and inherited file descriptors, since the app is
// a separate executable loaded from flash.
#pragma once

namespace vesp32 {

constexpr const char* kEnvFlash = "VESP32_FLASH";              // path of the 4 MB flash file
constexpr const char* kEnvEfuse = "VESP32_EFUSE";              // path of the eFuse file
constexpr const char* kEnvUartFd = "VESP32_UART_FD";           // pty master, inherited
constexpr const char* kEnvFaultFd = "VESP32_FAULT_FD";         // shared FlashOpCounter, inherited
constexpr const char* kEnvResetReason = "VESP32_RESET_REASON"; // poweron, sw, ext, panic
constexpr const char* kEnvRunningOffset = "VESP32_RUNNING_OFFSET";  // flash address of the app
// Read by `virtual-esp32 run` at start-up: arm a power cut before the first boot.
constexpr const char* kEnvFailAfter = "VESP32_FAIL_AFTER";     // N: operation N+1 is cut
constexpr const char* kEnvCutPoint = "VESP32_CUT_POINT";       // before | halfway
// Path of the TLS key log (NSS format) the workbench asked for (a capture session); unset: none.
constexpr const char* kEnvTlsKeyLog = "VESP32_TLS_KEYLOG";
constexpr const char* kEnvLocalAddress = "VESP32_LOCAL_ADDRESS"; // IPv4 its sockets bind to (127.0.1.N)

// Device state kept in files beside the flash file, where a real chip has NVS: the highest
// manifest counter, the remembered rollback and the time floor. `virtual-esp32 factory` deletes
// every one. All are written 0600, like the flash file.
constexpr const char* kCounterFileSuffix = ".ota-counter";
constexpr const char* kRollbackFileSuffix = ".ota-rollback";
constexpr const char* kTimeFloorFileSuffix = ".ota-time-floor";
constexpr const char* kFreshnessFileSuffix = ".ota-freshness";
constexpr const char* kDeviceStateFileSuffixes[] = {kCounterFileSuffix, kRollbackFileSuffix, kTimeFloorFileSuffix, kFreshnessFileSuffix};

// Exit codes between the board's programs and the supervisor.
constexpr int kExitReboot = 100;        // esp_restart(): go back to the bootloader
constexpr int kExitNoBootableApp = 101; // the bootloader found nothing to run
constexpr int kExitBoardError = 102;    // the board itself is broken (flash file missing...)

}  // namespace vesp32
