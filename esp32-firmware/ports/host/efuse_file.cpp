#include "efuse_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secure_ota/byte_order.h"

namespace vesp32 {

bool EfuseFile::create_blank(const std::string& path, std::string& error) {
    // 0600, also when the file already existed: it sits beside the flash file, which holds the
    // factory data (API key, decryption key), and is as private as it.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        error = "cannot create eFuse file '" + path + "': " + std::strerror(errno);
        if (fd >= 0) close(fd);
        return false;
    }
    uint8_t zero[4] = {0, 0, 0, 0};
    bool ok = ::write(fd, zero, 4) == 4;
    close(fd);
    if (!ok) error = "cannot write eFuse file '" + path + "'";
    return ok;
}

uint32_t EfuseFile::read_field() const {
    uint8_t b[4] = {0, 0, 0, 0};
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;  // no file: a chip whose field was never burnt
    ssize_t n = ::read(fd, b, 4);
    close(fd);
    return n == 4 ? secure_ota::load_le32(b) : 0;
}

uint32_t EfuseFile::min_secure_version() const { return static_cast<uint32_t>(__builtin_popcount(read_field())); }

bool EfuseFile::raise_min_secure_version(uint32_t version) {
    if (version > 32) version = 32;
    uint32_t field = read_field();
    uint32_t wanted = version == 32 ? 0xFFFFFFFFu : ((1u << version) - 1);
    uint32_t burnt = field | wanted;  // bits are only ever set
    if (burnt == field) return true;
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    uint8_t b[4];
    secure_ota::store_le32(b, burnt);
    bool ok = ::pwrite(fd, b, 4, 0) == 4;
    close(fd);
    return ok;
}

}  // namespace vesp32
