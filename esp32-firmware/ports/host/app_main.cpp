// Entry point of every host app image (V1..V4): the same Firmware runtime and App the real
// board runs from Arduino's setup()/loop(), on the virtual board.
#include <cstdio>

#include "board_environment.h"
#include "host_board.h"
#include "host_ota.h"
#include "secure_ota/firmware.h"

int main() {
    vesp32::HostBoard board;
    std::string error;
    if (!board.attach_from_environment(error)) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        return 2;
    }
    secure_ota::Firmware firmware(board, secure_ota::product_app());
    // The secure OTA engine answers the workbench's "check" command, as on the real board.
    secure_ota::host::HostOta ota(firmware, board, secure_ota::host::HostOta::options_from_environment());
    firmware.set_update_agent(&ota.agent());
    firmware.setup();
    for (;;) {
        firmware.loop();
        board.idle(5);  // spare the CPU, but wake at once for a command from the workbench
    }
}
