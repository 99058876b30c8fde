#include "flash_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vesp32 {
namespace {

uint8_t* map_chip(int fd, const std::string& path, std::string& error) {
    void* p = mmap(nullptr, FlashFile::kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        error = "cannot map flash file '" + path + "': " + std::strerror(errno);
        return nullptr;
    }
    return static_cast<uint8_t*>(p);
}

}  // namespace

FlashFile::~FlashFile() {
    if (map_) munmap(map_, kSize);
    if (fd_ >= 0) close(fd_);
}

std::unique_ptr<FlashFile> FlashFile::open(const std::string& path, std::string& error) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open flash file '" + path + "': " + std::strerror(errno) +
                " (create one with: virtual-esp32 factory --flash " + path + " --app IMAGE)";
        return nullptr;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size != kSize) {
        error = "flash file '" + path + "' is " + std::to_string(st.st_size) +
                " bytes; a virtual ESP32 has exactly 4194304 (4 MB). Recreate it with virtual-esp32 factory";
        close(fd);
        return nullptr;
    }
    std::unique_ptr<FlashFile> f(new FlashFile);
    f->fd_ = fd;  // closed by the destructor from here on
    f->map_ = map_chip(fd, path, error);
    if (!f->map_) return nullptr;
    f->nor_ = std::make_unique<secure_ota::NorFlash>(f->map_, kSize);
    return f;
}

std::unique_ptr<FlashFile> FlashFile::create_erased(const std::string& path, std::string& error) {
    // 0600, also over an existing file: the flash holds the factory data partition (API key,
    // the product's decryption key), as private as factory.bin.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        error = "cannot create flash file '" + path + "': " + std::strerror(errno);
        if (fd >= 0) close(fd);
        return nullptr;
    }
    if (ftruncate(fd, kSize) != 0) {
        error = "cannot size flash file '" + path + "': " + std::strerror(errno);
        close(fd);
        return nullptr;
    }
    std::unique_ptr<FlashFile> f(new FlashFile);
    f->fd_ = fd;
    f->map_ = map_chip(fd, path, error);
    if (!f->map_) return nullptr;
    std::memset(f->map_, 0xFF, kSize);  // a new chip comes erased
    f->nor_ = std::make_unique<secure_ota::NorFlash>(f->map_, kSize);
    return f;
}

void report_flash_violations(secure_ota::NorFlash& nor, secure_ota::SerialPort& uart) {
    nor.set_violation_reporter([&uart](const std::string& what) {
        std::fprintf(stderr, "virtual-esp32: flash violation (firmware bug): %s\n", what.c_str());
        std::string line = "E (flash) " + what + "\n";
        uart.write(line.data(), line.size());
    });
}

}  // namespace vesp32
