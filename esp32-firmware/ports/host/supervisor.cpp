#include "supervisor.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board_environment.h"
#include "boot_stage.h"
#include "efuse_file.h"
#include "flash_file.h"

namespace vesp32 {
namespace {

volatile sig_atomic_t g_stop = 0;
void on_stop_signal(int) { g_stop = 1; }

// SIGCHLD wakes the main loop through this pipe, so a restart of the chip (the app exiting)
// is handled at once rather than at the next poll timeout.
int g_child_pipe[2] = {-1, -1};
void on_child_signal(int) {
    int saved = errno;
    char b = 0;
    if (::write(g_child_pipe[1], &b, 1) < 0) { /* full: a wake-up is already pending */ }
    errno = saved;
}

const char* cut_name(uint32_t p) {
    return static_cast<secure_ota::CutPoint>(p) == secure_ota::CutPoint::Halfway ? "halfway" : "before";
}

}  // namespace

void Supervisor::say(const std::string& line) {
    std::printf("board: %s\n", line.c_str());
    std::fflush(stdout);
}

void Supervisor::power_on(const std::string& reason) {
    if (child_ > 0) return;
    faults_->counter().tripped = 0;
    faults_->watchdog().deadline_ms = 0;  // a new boot: no task is watched yet
    pid_t pid = fork();
    if (pid < 0) {
        say(std::string("error cannot start the boot stage: ") + std::strerror(errno));
        return;
    }
    if (pid == 0) {
        // If the board process dies (even by SIGKILL), its CPU must stop too: an orphaned app
        // would keep running on a flash file nobody supervises. Survives the exec.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1) _exit(kExitBoardError);
        // A chip that panics restarts; it leaves no core file on the PC.
        rlimit no_core{0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        // stdout carries the board's "board: ..." protocol; nothing the firmware prints may
        // interleave with it, so the boot stage and the app write to stderr instead.
        dup2(STDERR_FILENO, STDOUT_FILENO);
        close(STDIN_FILENO);  // the supervisor's commands are not the app's input
        BootStageConfig cfg{opt_.flash_path, EfuseFile::path_for_flash(opt_.flash_path), pty_->master_fd(),
                            faults_->fd(), reason};
        _exit(run_boot_stage(cfg));
    }
    child_ = pid;
    say("power on reason=" + reason + " pid=" + std::to_string(pid));
}

void Supervisor::power_off(const std::string& why) {
    if (child_ > 0) {
        kill(child_, SIGKILL);  // a power cut gives the CPU no chance to finish anything
        int status = 0;
        waitpid(child_, &status, 0);
        child_ = -1;
    }
    say("power off (" + why + ")");
}

void Supervisor::on_child_exit(int status) {
    child_ = -1;
    auto& c = faults_->counter();
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && c.tripped) {
        say("power cut at flash operation " + std::to_string(c.tripped_at) + " (" + cut_name(c.cut_point) +
            "); power stays off until power-on");
        secure_ota::PowerCutFlash::disarm(c);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == kExitReboot) {
        panics_in_a_row_ = 0;
        say("app restarted the chip");
        power_on("sw");
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == kExitNoBootableApp) {
        // A real chip would reset forever here; halting shows the same thing without a busy loop.
        say("halted: no bootable app (see the serial log); reflash with virtual-esp32 factory");
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == kExitBoardError) {
        say("halted: board error (see stderr)");
        return;
    }
    std::string what = WIFSIGNALED(status) ? std::string("signal ") + strsignal(WTERMSIG(status))
                                           : "exit code " + std::to_string(WEXITSTATUS(status));
    if (++panics_in_a_row_ > 5) {
        say("halted: app crashed " + std::to_string(panics_in_a_row_) + " times in a row (" + what + ")");
        return;
    }
    say("app crashed (" + what + "): panic reset");
    usleep(200 * 1000);
    power_on("panic");
}

// ESP-IDF's task watchdog with CONFIG_ESP_TASK_WDT_PANIC: a watched task that does not reset it in
// time makes the chip panic and restart, and esp_reset_reason() then says ESP_RST_TASK_WDT. The
// CPU stops wherever it was (a hang), so the app is killed like a power cut, but the reset reason
// tells the next boot why.
void Supervisor::enforce_task_watchdog() {
    TaskWatchdogState& w = faults_->watchdog();
    int64_t deadline = w.deadline_ms;
    if (child_ <= 0 || deadline == 0 || monotonic_ms() < deadline) return;
    kill(child_, SIGKILL);
    int status = 0;
    waitpid(child_, &status, 0);
    child_ = -1;
    w.deadline_ms = 0;
    std::string what = "task watchdog: not reset within " + std::to_string(TaskWatchdogState::kTimeoutMs) + " ms";
    if (++panics_in_a_row_ > 5) {
        say("halted: app crashed " + std::to_string(panics_in_a_row_) + " times in a row (" + what + ")");
        return;
    }
    say("app crashed (" + what + "): task_wdt reset");
    power_on("task_wdt");
}

void Supervisor::handle_command(const std::string& line) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    auto& c = faults_->counter();
    if (cmd.empty()) return;
    if (cmd == "power-on") {
        if (child_ > 0) say("already on");
        else power_on("poweron");
    } else if (cmd == "power-off" || cmd == "power-cut") {
        if (child_ > 0) power_off("cut by command");
        else say("already off");
    } else if (cmd == "reset") {
        // The EN button: the CPU stops wherever it is, flash keeps what was written.
        if (child_ > 0) power_off("reset");
        power_on("ext");
    } else if (cmd == "fail-after") {
        long n = -1;
        std::string point = "before";
        in >> n >> point;
        if (n < 0 || (point != "before" && point != "halfway")) {
            say("error usage: fail-after N [before|halfway]  (operations 1..N complete, N+1 is cut)");
            return;
        }
        secure_ota::PowerCutFlash::arm(c, static_cast<uint32_t>(n),
                                       point == "halfway" ? secure_ota::CutPoint::Halfway : secure_ota::CutPoint::Before);
        say("armed fail-after=" + std::to_string(n) + " cut=" + point + " (operation count reset to 0)");
    } else if (cmd == "disarm") {
        secure_ota::PowerCutFlash::disarm(c);
        say("disarmed");
    } else if (cmd == "count-reset") {
        c.completed = 0;
        say("operation count reset to 0");
    } else if (cmd == "status") {
        std::string armed = c.fail_after == secure_ota::FlashOpCounter::kDisarmed
                                ? "none"
                                : std::to_string(c.fail_after) + "/" + cut_name(c.cut_point);
        say(std::string("status power=") + (child_ > 0 ? "on" : "off") + " flash_ops=" + std::to_string(c.completed) +
            " armed=" + armed + " pty=" + pty_->slave_path());
    } else if (cmd == "quit") {
        quit_ = true;
    } else {
        say("error unknown command '" + cmd +
            "'; commands: power-on, power-off, reset, fail-after N [before|halfway], disarm, count-reset, status, quit");
    }
}

int Supervisor::run() {
    std::string error;
    {
        auto probe = FlashFile::open(opt_.flash_path, error);  // fail early with a clear message
        if (!probe) {
            std::fprintf(stderr, "virtual-esp32: %s\n", error.c_str());
            return 1;
        }
    }
    faults_.reset(FaultMemory::create(error));
    if (!faults_) {
        std::fprintf(stderr, "virtual-esp32: %s\n", error.c_str());
        return 1;
    }
    pty_ = PseudoTerminal::open(opt_.pty_link, error);
    if (!pty_) {
        std::fprintf(stderr, "virtual-esp32: %s\n", error.c_str());
        return 1;
    }
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(g_child_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        struct sigaction sc {};
        sc.sa_handler = on_child_signal;
        sc.sa_flags = SA_RESTART | SA_NOCLDSTOP;
        sigaction(SIGCHLD, &sc, nullptr);
    }

    if (opt_.fail_after) {
        secure_ota::PowerCutFlash::arm(faults_->counter(), *opt_.fail_after, opt_.cut_point);
    }
    say("ready pty=" + pty_->slave_path() + " link=" + pty_->link_path());
    power_on("poweron");

    std::string pending;
    bool stdin_open = true;
    while (!quit_ && !g_stop) {
        // stdin (the controller's commands) and the SIGCHLD pipe; the timeout is only a safety net.
        pollfd fds[2] = {{g_child_pipe[0], POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
        int n = poll(fds, stdin_open ? 2 : 1, 50);
        if (n > 0 && (fds[0].revents & POLLIN)) {
            char drain[64];
            while (read(g_child_pipe[0], drain, sizeof drain) > 0) {
            }
        }
        const pollfd& p = fds[1];
        if (n > 0 && stdin_open && (p.revents & (POLLIN | POLLHUP))) {
            char buf[256];
            ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
            if (r <= 0 && opt_.quit_on_stdin_eof) {
                say("controller gone (stdin closed): stopping the board");
                quit_ = true;
            } else if (r <= 0) {
                stdin_open = false;  // no controller attached: the board just keeps running
            } else {
                pending.append(buf, static_cast<size_t>(r));
                for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
                    handle_command(pending.substr(0, nl));
                    pending.erase(0, nl + 1);
                }
            }
        }
        if (child_ > 0) {
            int status = 0;
            if (waitpid(child_, &status, WNOHANG) == child_) on_child_exit(status);
        }
        enforce_task_watchdog();
    }
    if (child_ > 0) power_off("board stopped");
    return 0;
}

}  // namespace vesp32
