// The serial telemetry protocol, device side (docs/telemetry.md is the contract):
// a machine line is "@ota1 " + one JSON object + "\n"; every other line is human log.
// The same writer runs on the real ESP32 and on the virtual one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "secure_ota/app_image.h"
#include "secure_ota/json_writer.h"
#include "secure_ota/lcd.h"
#include "secure_ota/led.h"
#include "secure_ota/ota_data.h"
#include "secure_ota/partition_table.h"
#include "secure_ota/serial_port.h"

namespace secure_ota {

constexpr const char* kTelemetryPrefix = "@ota";
constexpr int kTelemetryVersion = 1;

// esp_reset_reason_t, by the names the protocol uses.
enum class ResetReason { PowerOn, External, Software, Panic, TaskWatchdog, Brownout, Unknown };
const char* to_string(ResetReason r);  // "poweron", "ext", "sw", "panic", "task_wdt", "brownout", "unknown"
ResetReason parse_reset_reason(const std::string& s);

// One app slot as the "partitions" event reports it.
struct SlotReport {
    PartitionEntry partition;
    OtaImgState state = OtaImgState::Undefined;  // from the otadata entry naming this slot
    int otadata_index = -1;                      // which entry names it, -1 none
    bool running = false;
    bool next_boot = false;
    bool image_valid = false;
    std::string image_error;  // why not valid ("bad magic (no image)" for an empty slot)
    AppDescriptor descriptor;
};

struct BootReport {
    std::string slot;   // "ota_0", "factory"
    std::string label;  // "app0"
    AppDescriptor app;
    ResetReason reset_reason = ResetReason::Unknown;
    OtaImgState state = OtaImgState::Undefined;
    bool provisioned = false;
    std::string device_id;
    uint32_t min_secure_version = 0;
    // True when this report answers a "status" command rather than announcing a boot, so that a
    // receiver never has to guess from the order of lines (a reset can fall between them).
    bool status_report = false;
    // The firmware's defence profile (defence_profile.h): "secure", or a weakened lab build and
    // the checks it lacks ("no image hash, ..."), said in every boot report.
    std::string profile = "secure";
    std::string missing_defences;
};

// Stable codes of the "error" events; the "ota" verdict codes are secure_ota::ota::Verdict.
namespace error_code {
constexpr const char* kNotProvisioned = "NOT_PROVISIONED";
}  // namespace error_code

class TelemetryWriter {
public:
    explicit TelemetryWriter(SerialPort& port) : port_(port) {}

    // A human log line; never mistaken for a machine line.
    void log(const std::string& text);
    // A machine line from a complete JSON object.
    void event(const JsonWriter& object);

    void boot(const BootReport& b);
    void partitions(const PartitionTable& table, const OtaDataPair& otadata, const std::vector<SlotReport>& slots);
    void lcd(const Lcd& lcd);
    void led(const LedPattern& p);
    void selftest(bool passed, const std::string& detail);
    void app_state(const std::string& slot, OtaImgState state);
    void error(const std::string& code, const std::string& message);
    void heartbeat(uint32_t uptime_ms, const std::string& version, OtaImgState state);
    void ack(const std::string& cmd);
    // Reserved for the OTA engine: progress while writing, one verdict per attempt.
    void ota_progress(const std::string& phase, uint32_t bytes, uint32_t total);
    void ota_verdict(const std::string& code, const std::string& detail, const std::string& version);
    // How the image of an attempt travelled: encrypted (scheme, key id) or in plaintext, and
    // whether the device decrypted it whole (tag verified). Empty scheme/key_id are sent as null.
    void image_transport(const std::string& version, bool encrypted, const std::string& scheme,
                         const std::string& key_id, bool decrypted);
    // One line per TLS connection the engine opened: what for, and whether it resumed a session.
    void tls_session(const std::string& purpose, bool resumed);

private:
    void line(const std::string& s);
    SerialPort& port_;
};

// Commands from the workbench: "@ota1 {"cmd":"check"}" etc.
enum class TelemetryCommand { None, Check, Reboot, Status, Unknown };
// Parses one received line. Lines without the prefix are None (ignored, like human input).
TelemetryCommand parse_command(const std::string& line, std::string& name);

}  // namespace secure_ota
