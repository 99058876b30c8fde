#include "pseudo_terminal.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace vesp32 {

PseudoTerminal::~PseudoTerminal() {
    if (!link_path_.empty()) unlink(link_path_.c_str());
    if (slave_keepalive_ >= 0) close(slave_keepalive_);
    if (master_ >= 0) close(master_);
}

std::unique_ptr<PseudoTerminal> PseudoTerminal::open(const std::string& link_path, std::string& error) {
    std::unique_ptr<PseudoTerminal> t(new PseudoTerminal);
    // Not O_CLOEXEC: the boot stage and the app inherit the master as their UART.
    t->master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (t->master_ < 0 || grantpt(t->master_) != 0 || unlockpt(t->master_) != 0) {
        error = std::string("cannot create a pseudo-terminal: ") + std::strerror(errno);
        return nullptr;
    }
    const char* name = ptsname(t->master_);
    if (!name) {
        error = "cannot name the pseudo-terminal";
        return nullptr;
    }
    t->slave_path_ = name;
    t->slave_keepalive_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (t->slave_keepalive_ < 0) {
        error = std::string("cannot open ") + name + ": " + std::strerror(errno);
        return nullptr;
    }
    termios tio{};
    tcgetattr(t->slave_keepalive_, &tio);
    cfmakeraw(&tio);
    cfsetispeed(&tio, B115200);
    cfsetospeed(&tio, B115200);
    tcsetattr(t->slave_keepalive_, TCSANOW, &tio);

    // Replace a stale link from an earlier run, but never a regular file or directory.
    struct stat st {};
    if (lstat(link_path.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
        error = "'" + link_path + "' exists and is not a symlink; choose another --pty-link path";
        return nullptr;
    }
    if (unlink(link_path.c_str()) != 0 && errno != ENOENT) {
        error = "cannot replace '" + link_path + "': " + std::strerror(errno);
        return nullptr;
    }
    if (symlink(name, link_path.c_str()) != 0) {
        error = "cannot create the pty link '" + link_path + "': " + std::strerror(errno) +
                " (does its directory exist and is it writable?)";
        return nullptr;
    }
    t->link_path_ = link_path;
    return t;
}

}  // namespace vesp32
