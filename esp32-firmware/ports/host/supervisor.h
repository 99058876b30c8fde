// "The board": owns the flash file, the pty and the power. It starts the boot stage on
// power-on, restarts it when the app reboots, and cuts power on command or when the armed
// flash operation is reached, and resets it when the app lets its task watchdog expire. Controlled by line commands on stdin (see README), reporting
// on stdout with lines starting "board: ".
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "fault_memory.h"
#include "pseudo_terminal.h"
#include "secure_ota/power_cut_flash.h"

namespace vesp32 {

struct SupervisorOptions {
    std::string flash_path;
    std::string pty_link;
    std::optional<uint32_t> fail_after;  // arm a power cut before the first boot
    secure_ota::CutPoint cut_point = secure_ota::CutPoint::Before;
    // When the controller's end of stdin closes (the workbench exited, even by SIGKILL), stop the
    // board instead of running on as an orphan. Off by default, so a board started by hand in the
    // background keeps running.
    bool quit_on_stdin_eof = false;
};

class Supervisor {
public:
    explicit Supervisor(SupervisorOptions options) : opt_(std::move(options)) {}
    // Runs until "quit", SIGTERM/SIGINT or stdin command; returns the process exit code.
    int run();

private:
    void power_on(const std::string& reason);
    void power_off(const std::string& why);
    void on_child_exit(int status);
    void enforce_task_watchdog();
    void handle_command(const std::string& line);
    void say(const std::string& line);

    SupervisorOptions opt_;
    std::unique_ptr<PseudoTerminal> pty_;
    std::unique_ptr<FaultMemory> faults_;
    int child_ = -1;
    bool quit_ = false;
    int panics_in_a_row_ = 0;
};

}  // namespace vesp32
