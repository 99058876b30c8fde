// The virtual chip's 4 MB of flash: a file mapped shared into memory. Every completed write
// is in the page cache the moment it is made, so a SIGKILL (power cut) leaves the file with
// exactly the bytes written before it, and the next process sees them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "secure_ota/nor_flash.h"
#include "secure_ota/serial_port.h"

namespace vesp32 {

class FlashFile {
public:
    static constexpr uint32_t kSize = 0x400000;

    ~FlashFile();
    FlashFile(const FlashFile&) = delete;
    FlashFile& operator=(const FlashFile&) = delete;

    // Opens an existing flash file; `error` explains a missing or wrongly sized file.
    static std::unique_ptr<FlashFile> open(const std::string& path, std::string& error);
    // Creates (or truncates) a factory-fresh chip: every byte 0xFF.
    static std::unique_ptr<FlashFile> create_erased(const std::string& path, std::string& error);

    secure_ota::NorFlash& nor() { return *nor_; }
    const uint8_t* data() const { return map_; }

private:
    FlashFile() = default;
    int fd_ = -1;
    uint8_t* map_ = nullptr;
    std::unique_ptr<secure_ota::NorFlash> nor_;
};

// Makes NOR violations loud: one line on stderr (the supervisor's, so the workbench log
// has it) and one human line on the UART ("E (flash) ...").
void report_flash_violations(secure_ota::NorFlash& nor, secure_ota::SerialPort& uart);

}  // namespace vesp32
