// The board's UART: a pseudo-terminal whose master side the board keeps for its whole
// life, so the serial port the workbench opens (the slave, reached through a symlink)
// survives reboots and power cycles, like a USB-serial adapter that stays plugged in.
#pragma once

#include <memory>
#include <string>

namespace vesp32 {

class PseudoTerminal {
public:
    ~PseudoTerminal();
    // Creates the pty in raw mode (no echo, no line editing: a UART passes bytes as they are)
    // and points `link_path` at its slave device.
    static std::unique_ptr<PseudoTerminal> open(const std::string& link_path, std::string& error);

    int master_fd() const { return master_; }
    const std::string& slave_path() const { return slave_path_; }
    const std::string& link_path() const { return link_path_; }

private:
    PseudoTerminal() = default;
    int master_ = -1;
    int slave_keepalive_ = -1;  // an open slave keeps the master from seeing EIO between readers
    std::string slave_path_;
    std::string link_path_;
};

}  // namespace vesp32
