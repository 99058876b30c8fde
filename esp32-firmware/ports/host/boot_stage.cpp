#include "boot_stage.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "board_environment.h"
#include "efuse_file.h"
#include "fault_memory.h"
#include "flash_file.h"
#include "pty_serial_port.h"
#include "secure_ota/bootloader.h"
#include "secure_ota/power_cut_flash.h"

extern char** environ;

namespace vesp32 {
namespace {

// Index of the segment that carries the host executable in a host app image.
constexpr size_t kProgramSegment = 1;

// ESP-IDF's bootloader log style ("I (boot) ...", "E (boot) ..."), so the serial
// transcript reads like a real board's.
void uart_line(PtySerialPort& uart, const std::string& s, char level = 'I') {
    std::string l = std::string(1, level) + " (boot) " + s + "\n";
    uart.write(l.data(), l.size());
}

}  // namespace

int run_boot_stage(const BootStageConfig& cfg) {
    PtySerialPort uart(cfg.uart_fd);
    std::string error;
    auto file = FlashFile::open(cfg.flash_path, error);
    if (!file) {
        uart_line(uart, "flash: " + error, 'E');
        std::fprintf(stderr, "virtual-esp32: %s\n", error.c_str());
        return kExitBoardError;
    }
    std::unique_ptr<FaultMemory> faults(FaultMemory::attach(cfg.fault_fd, error));
    if (!faults) {
        std::fprintf(stderr, "virtual-esp32: %s\n", error.c_str());
        return kExitBoardError;
    }
    report_flash_violations(file->nor(), uart);
    secure_ota::PowerCutFlash flash(file->nor(), faults->counter(), [] { cut_power_now(); });
    EfuseFile efuse(cfg.efuse_path);

    uart_line(uart, "ESP-IDF compatible 2nd stage bootloader (virtual ESP32, chip id 0xFFFF), reset reason " +
                        cfg.reset_reason);
    secure_ota::Bootloader boot(flash, efuse, secure_ota::chip_id::kHost,
                                [&](const std::string& l) { uart_line(uart, l); });
    auto decision = boot.select_and_verify();
    if (!decision) {
        uart_line(uart, boot.error(), 'E');
        return kExitNoBootableApp;
    }
    const auto& seg = decision->image.segments.at(kProgramSegment < decision->image.segments.size()
                                                      ? kProgramSegment
                                                      : decision->image.segments.size() - 1);
    // CLOEXEC: the memfd itself must not leak into the app; fexecve works on it regardless.
    int mfd = memfd_create(decision->image.descriptor.project_name.c_str(), MFD_CLOEXEC);
    if (mfd < 0) {
        uart_line(uart, std::string("cannot load the app into memory: ") + std::strerror(errno), 'E');
        return kExitBoardError;
    }
    // Through one small buffer rather than a copy of the whole program: a fresh ~0.6 MB buffer
    // costs a page fault per 4 KiB on every boot (bench/virtual-update).
    std::vector<uint8_t> chunk(64 * 1024);
    for (uint32_t done = 0; done < seg.data_len;) {
        const uint32_t n = std::min<uint32_t>(static_cast<uint32_t>(chunk.size()), seg.data_len - done);
        if (flash.read(decision->partition.offset + seg.data_offset + done, chunk.data(), n) != secure_ota::FlashStatus::Ok) {
            uart_line(uart, "cannot read the app program from flash", 'E');
            return kExitBoardError;
        }
        if (::write(mfd, chunk.data(), n) != static_cast<ssize_t>(n)) {
            uart_line(uart, std::string("cannot load the app into memory: ") + std::strerror(errno), 'E');
            return kExitBoardError;
        }
        done += n;
    }
    char offset[16];
    std::snprintf(offset, sizeof offset, "0x%x", decision->partition.offset);
    setenv(kEnvFlash, cfg.flash_path.c_str(), 1);
    setenv(kEnvEfuse, cfg.efuse_path.c_str(), 1);
    setenv(kEnvUartFd, std::to_string(cfg.uart_fd).c_str(), 1);
    setenv(kEnvFaultFd, std::to_string(cfg.fault_fd).c_str(), 1);
    setenv(kEnvResetReason, cfg.reset_reason.c_str(), 1);
    setenv(kEnvRunningOffset, offset, 1);
    std::string argv0 = decision->image.descriptor.project_name + "-" + decision->image.descriptor.version;
    char* argv[] = {argv0.data(), nullptr};
    file.reset();  // unmap before exec; the app maps the file itself
    fexecve(mfd, argv, environ);
    uart_line(uart, std::string("cannot start the app: ") + std::strerror(errno) +
                        " (is the image built for this host?)", 'E');
    return kExitNoBootableApp;
}

}  // namespace vesp32
