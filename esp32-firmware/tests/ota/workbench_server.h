// The workbench jar's `serve` as a child process for the tests that run the engine against the
// real OTA server (Jetty 12) in a throw-away lab folder: it prints its ephemeral port on the
// "listening on https://127.0.0.1:PORT" line, which is how the child is known to be ready.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

#include "child_server.h"

namespace ota_test {

inline bool file_exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}

class WorkbenchServer : public ChildServer {
public:
    WorkbenchServer(const std::string& java_cmd, const std::string& lab)
        : ChildServer({"/bin/sh", "-c", "exec " + java_cmd + " --lab='" + lab + "' serve --port 0"},
                      Stderr::ToStdout, [](const std::string& line) -> std::optional<uint16_t> {
                          const std::string marker = "listening on https://127.0.0.1:";
                          size_t p = line.find(marker);
                          if (p == std::string::npos) return std::nullopt;
                          return uint16_t(std::stoi(line.substr(p + marker.size())));
                      }) {}
};

}  // namespace ota_test
