// Drives the real virtual-esp32 program the way the workbench does: a child process with
// commands on stdin and "board:" lines on stdout, and the UART read through the pty link
// like any serial port. Waits have generous deadlines only so a broken build cannot hang
// ctest; no assertion depends on timing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace test {

struct CliResult {
    int exit_code;
    std::string output;  // stdout + stderr
};

// Runs virtual-esp32 with `args` to completion.
CliResult run_cli(const std::vector<std::string>& args);

// A fresh temporary directory, removed at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

private:
    std::string dir_;
};

class BoardProcess {
public:
    static constexpr std::chrono::seconds kDeadline{20};

    BoardProcess(const std::string& flash, const std::string& pty_link, const std::vector<std::string>& extra = {});
    ~BoardProcess();

    void command(const std::string& line);  // a supervisor command on stdin
    void close_stdin();                     // what the controller's death looks like to the board
    // Next stdout line containing `needle`; nullopt at the deadline or when the board exits.
    std::optional<std::string> wait_line(const std::string& needle);
    void stop();  // "quit" and wait for the exit

private:
    int pid_ = -1;
    int in_ = -1, out_ = -1;
    std::string buffer_;
};

// The workbench's end of the UART.
class SerialLink {
public:
    explicit SerialLink(const std::string& path);
    ~SerialLink();
    bool is_open() const { return fd_ >= 0; }
    void send(const std::string& line);
    // Next "@ota1" line whose "ev" is `ev` and that contains every string in `contains`.
    std::optional<std::string> wait_event(const std::string& ev, const std::vector<std::string>& contains = {});
    const std::string& transcript() const { return transcript_; }

private:
    std::optional<std::string> next_line();
    int fd_ = -1;
    std::string buffer_, transcript_;
};

// Value of "key" in a flat JSON line: the string without quotes, or the raw number/literal.
std::string json_field(const std::string& line, const std::string& key);

}  // namespace test
