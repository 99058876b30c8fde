// A server the tests start as a child process (openssl s_server, the Python HTTPS stand-in, the
// workbench's Java server): it announces its ephemeral port on stdout, and it is killed by its own
// pid when the object dies, or with the test process if that crashes first.
#pragma once

#include <cstdint>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <optional>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ota_test {

class ChildServer {
public:
    enum class Stderr { Inherit, ToStdout, Discard };
    // Reads stdout lines until `port_in_line` finds the port (0 if the child never says).
    using PortParser = std::function<std::optional<uint16_t>(const std::string& line)>;

    ChildServer(std::vector<std::string> args, Stderr stderr_to, const PortParser& port_in_line) {
        int out[2];
        if (::pipe(out) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
            int devnull = ::open("/dev/null", O_RDWR);
            ::dup2(devnull, 0);
            ::dup2(out[1], 1);
            if (stderr_to == Stderr::ToStdout) ::dup2(out[1], 2);
            if (stderr_to == Stderr::Discard) ::dup2(devnull, 2);
            ::close(out[0]);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        out_ = ::fdopen(out[0], "r");
        char line[512];
        while (out_ && std::fgets(line, sizeof line, out_)) {
            if (auto port = port_in_line(line)) {
                port_ = *port;
                break;
            }
        }
    }
    ~ChildServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_) std::fclose(out_);
    }
    ChildServer(const ChildServer&) = delete;
    ChildServer& operator=(const ChildServer&) = delete;

    uint16_t port() const { return port_; }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
    uint16_t port_ = 0;
};

}  // namespace ota_test
