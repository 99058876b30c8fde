// Arduino entry point on a real ESP32: the same Firmware runtime and App as the virtual
// board. Which app (V1..V4) is linked is chosen by the PlatformIO environment.
#include <Arduino.h>

#include "esp32_board.h"
#include "secure_ota/firmware.h"

// The rollback trap: with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, Arduino-ESP32's
// initArduino() calls esp_ota_mark_app_valid_cancel_rollback() before setup() unless this
// weak function returns true. Then a broken image would confirm itself before its
// self-test and never roll back. The Firmware runtime confirms only after the self-test.
extern "C" bool verifyRollbackLater() { return true; }

namespace {
esp32_port::Esp32Board board;
secure_ota::Firmware* firmware = nullptr;
}  // namespace

void setup() {
    board.begin();
    static secure_ota::Firmware fw(board, secure_ota::product_app());
    firmware = &fw;
    firmware->setup();
}

void loop() {
    firmware->loop();
    delay(5);
}
