// Arduino entry point on a real ESP32: the same Firmware runtime, App and secure OTA engine as
// the virtual board (ports/host/app_main.cpp). Which app (V1..V6) is linked is chosen by the
// PlatformIO environment.
#include <Arduino.h>

#include "esp32_board.h"
#include "esp32_ota.h"
#include "secure_ota/firmware.h"

// The rollback trap: with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, Arduino-ESP32's
// initArduino() calls esp_ota_mark_app_valid_cancel_rollback() before setup() unless this
// weak function returns true. Then a broken image would confirm itself before its
// self-test and never roll back. The Firmware runtime confirms only after the self-test.
extern "C" bool verifyRollbackLater() { return true; }

// An update attempt runs synchronously in loop(): the TLS handshake (ECDHE, ECDSA/RSA
// verification, X.509 parsing) under the engine's HTTP (2 KiB) and image (1 KiB) buffers.
// Measured on the host (tests/ota/test_limits.cpp, README "Measured limits"): one update
// from UpdateEngine::run down takes 14.5 KiB of stack, and the agent's check_now() frame adds
// about 1.7 KiB above it, which leaves nothing of 16 KiB. Arduino's default 8 KiB is far too
// small; 24 KiB keeps a margin of about 8 KiB for the chip's different frame sizes.
SET_LOOP_TASK_STACK_SIZE(24 * 1024);

namespace {
esp32_port::Esp32Board board;
secure_ota::Firmware* firmware = nullptr;
esp32_port::Esp32Ota* ota = nullptr;
}  // namespace

void setup() {
    board.begin();
    static secure_ota::Firmware fw(board, secure_ota::product_app());
    // The engine answers the workbench's "check" command, exactly as on the virtual board.
    static esp32_port::Esp32Ota engine(fw, board, esp32_port::Esp32Ota::options_from_build());
    firmware = &fw;
    ota = &engine;
    firmware->set_update_agent(&ota->agent());
    firmware->setup();  // boot report, factory data, self-test, then confirm or roll back
    ota->begin();       // WiFi after the boot report
}

void loop() {
    firmware->loop();
    ota->loop();
    delay(5);
}
