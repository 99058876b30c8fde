#include "board_harness.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <regex>
#include <sys/wait.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> v;
    for (auto& a : args) v.push_back(a.data());
    v.push_back(nullptr);
    return v;
}

// Reads from `fd` into `buffer` until it holds a full line; false at deadline/EOF.
bool read_line(int fd, std::string& buffer, std::string& line, Clock::time_point deadline) {
    for (;;) {
        size_t nl = buffer.find('\n');
        if (nl != std::string::npos) {
            line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            return true;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) {
            // pty with no writer attached yet, or pipe closed
            if (p.revents & POLLHUP) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (n == 0) return false;
            continue;
        }
        buffer.append(buf, static_cast<size_t>(n));
    }
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args) {
    int pipefd[2];
    if (pipe(pipefd) != 0) return {-1, "pipe failed"};
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        std::vector<std::string> full{VIRTUAL_ESP32};
        full.insert(full.end(), args.begin(), args.end());
        auto v = argv_of(full);
        execv(v[0], v.data());
        _exit(127);
    }
    close(pipefd[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TempDir::TempDir() {
    char tmpl[] = "/tmp/vesp32-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

BoardProcess::BoardProcess(const std::string& flash, const std::string& pty_link, const std::vector<std::string>& extra) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        std::vector<std::string> args{VIRTUAL_ESP32, "run", "--flash", flash, "--pty-link", pty_link};
        args.insert(args.end(), extra.begin(), extra.end());
        auto v = argv_of(args);
        execv(v[0], v.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    in_ = in[1];
    out_ = out[0];
    signal(SIGPIPE, SIG_IGN);
}

BoardProcess::~BoardProcess() {
    stop();
    if (in_ >= 0) close(in_);
    if (out_ >= 0) close(out_);
}

void BoardProcess::command(const std::string& line) {
    std::string l = line + "\n";
    if (in_ >= 0) (void)!write(in_, l.data(), l.size());
}

void BoardProcess::close_stdin() {
    if (in_ >= 0) close(in_);
    in_ = -1;
}

std::optional<std::string> BoardProcess::wait_line(const std::string& needle) {
    auto deadline = Clock::now() + kDeadline;
    std::string line;
    while (read_line(out_, buffer_, line, deadline))
        if (line.find(needle) != std::string::npos) return line;
    return std::nullopt;
}

void BoardProcess::stop() {
    if (pid_ <= 0) return;
    command("quit");
    for (int i = 0; i < 200; ++i) {
        int status;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

SerialLink::SerialLink(const std::string& path) {
    auto deadline = Clock::now() + BoardProcess::kDeadline;
    while (Clock::now() < deadline) {
        fd_ = open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd_ >= 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (fd_ < 0) return;
    termios tio{};
    tcgetattr(fd_, &tio);
    cfmakeraw(&tio);
    cfsetspeed(&tio, B115200);
    tcsetattr(fd_, TCSANOW, &tio);
}

SerialLink::~SerialLink() {
    if (fd_ >= 0) close(fd_);
}

void SerialLink::send(const std::string& line) {
    std::string l = line + "\n";
    (void)!write(fd_, l.data(), l.size());
}

std::optional<std::string> SerialLink::next_line() {
    std::string line;
    if (!read_line(fd_, buffer_, line, Clock::now() + BoardProcess::kDeadline)) return std::nullopt;
    transcript_ += line + "\n";
    return line;
}

std::optional<std::string> SerialLink::wait_event(const std::string& ev, const std::vector<std::string>& contains) {
    auto deadline = Clock::now() + BoardProcess::kDeadline;
    while (Clock::now() < deadline) {
        auto line = next_line();
        if (!line) return std::nullopt;
        if (line->rfind("@ota1 {", 0) != 0 || json_field(*line, "ev") != ev) continue;
        bool all = true;
        for (const auto& c : contains) all = all && line->find(c) != std::string::npos;
        if (all) return line;
    }
    return std::nullopt;
}

std::string json_field(const std::string& line, const std::string& key) {
    std::regex re("\"" + key + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\]]*)");
    std::smatch m;
    if (!std::regex_search(line, m, re)) return "<missing>";
    return m[2].matched ? m[2].str() : m[1].str();
}

}  // namespace test
