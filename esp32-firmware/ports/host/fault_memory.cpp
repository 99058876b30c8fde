#include "fault_memory.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "board_environment.h"

namespace vesp32 {

FaultMemory::~FaultMemory() {
    if (shared_) munmap(shared_, sizeof(Shared));
    if (fd_ >= 0) close(fd_);
}

FaultMemory* FaultMemory::create(std::string& error) {
    // No MFD_CLOEXEC: the boot stage and the app must inherit it.
    int fd = memfd_create("vesp32-flash-ops", 0);
    if (fd < 0 || ftruncate(fd, sizeof(Shared)) != 0) {
        error = std::string("cannot create the flash operation counter: ") + std::strerror(errno);
        return nullptr;
    }
    FaultMemory* m = attach(fd, error);
    if (m) {
        m->shared_->counter = secure_ota::FlashOpCounter{};
        m->shared_->watchdog.deadline_ms = 0;
    }
    return m;
}

FaultMemory* FaultMemory::attach(int fd, std::string& error) {
    void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        error = std::string("cannot map the flash operation counter: ") + std::strerror(errno);
        return nullptr;
    }
    auto* m = new FaultMemory;
    m->fd_ = fd;
    m->shared_ = static_cast<Shared*>(p);
    return m;
}

FaultMemory* FaultMemory::attach_from_environment(std::string& error) {
    const char* v = std::getenv(kEnvFaultFd);
    if (!v) {
        error = std::string(kEnvFaultFd) + " is not set";
        return nullptr;
    }
    return attach(std::atoi(v), error);
}

int64_t monotonic_ms() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<int64_t>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

void cut_power_now() {
    kill(getpid(), SIGKILL);
    _exit(137);  // not reached
}

}  // namespace vesp32
