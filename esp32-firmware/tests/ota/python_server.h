// The HTTPS stand-in of the OTA server (fixtures/ota_https_server.py) as a child process,
// killed by its own pid when the object dies.
#pragma once

#include <string>
#include <vector>

#include "child_server.h"
#include "test_helpers.h"

namespace ota_test {

class PythonServer : public ChildServer {
public:
    PythonServer(const std::string& dir, const std::string& leaf, std::vector<std::string> extra = {})
        : ChildServer(arguments(dir, leaf, std::move(extra)), Stderr::Inherit, [](const std::string& line) {
              return line.rfind("PORT ", 0) == 0 ? std::optional<uint16_t>(uint16_t(std::stoi(line.substr(5))))
                                                 : std::nullopt;
          }) {}

private:
    static std::vector<std::string> arguments(const std::string& dir, const std::string& leaf,
                                              std::vector<std::string> extra) {
        std::vector<std::string> args = {PYTHON3_EXE, OTA_FIXTURES_DIR "/ota_https_server.py", "--cert",
                                         pki(leaf + ".pem"), "--key", pki(leaf + "-key.pem"), "--dir", dir};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
};

}  // namespace ota_test
