// The HTTPS stand-in of the OTA server (fixtures/ota_https_server.py) as a child process,
// killed by its own pid when the object dies.
#pragma once

#include <csignal>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

#include "test_helpers.h"

namespace ota_test {

class PythonServer {
public:
    PythonServer(const std::string& dir, const std::string& leaf, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {PYTHON3_EXE, OTA_FIXTURES_DIR "/ota_https_server.py", "--cert", pki(leaf + ".pem"),
                                         "--key", pki(leaf + "-key.pem"), "--dir", dir};
        args.insert(args.end(), extra.begin(), extra.end());
        int out[2];
        if (::pipe(out) != 0) return;
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
            ::dup2(out[1], 1);
            ::close(out[0]);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        out_ = ::fdopen(out[0], "r");
        char line[128];
        if (out_ && std::fgets(line, sizeof line, out_) && std::string(line).rfind("PORT ", 0) == 0)
            port_ = uint16_t(std::stoi(std::string(line).substr(5)));
    }
    ~PythonServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_) std::fclose(out_);
    }
    uint16_t port() const { return port_; }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
    uint16_t port_ = 0;
};

}  // namespace ota_test
