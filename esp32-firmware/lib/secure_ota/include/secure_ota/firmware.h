// The runtime every product app shares, on both boards: boot report, factory data,
// self-test then confirmation (mark valid) or rollback, serial commands, heartbeat. The OTA
// engine (issue 7) plugs in as an UpdateAgent; it reaches flash through ota_ops().
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "secure_ota/app.h"
#include "secure_ota/board.h"
#include "secure_ota/factory_data.h"
#include "secure_ota/ota_ops.h"
#include "secure_ota/partition_table.h"
#include "secure_ota/telemetry.h"

namespace secure_ota {

// The hook for the OTA engine. check_now() answers the workbench's "check" command and the
// engine's own schedule; loop() lets it make progress without blocking the app.
class UpdateAgent {
public:
    virtual ~UpdateAgent() = default;
    virtual void check_now() = 0;
    virtual void loop(uint32_t now_ms) { (void)now_ms; }
};

class Firmware {
public:
    static constexpr uint32_t kHeartbeatPeriodMs = 5000;
    // How long a failed self-test stays on the LCD before the restart that rolls back.
    static constexpr uint32_t kRollbackDelayMs = 1500;
    // How long an update's result (an alert, "A JOUR") stays on the LCD before the app draws again:
    // an app that redraws every few milliseconds would otherwise wipe it before anyone reads it.
    static constexpr uint32_t kResultHoldMs = 8000;

    Firmware(Board& board, App& app);

    void setup();  // once per boot
    void loop();   // as often as possible; never blocks

    void set_update_agent(UpdateAgent* agent) { agent_ = agent; }
    OtaOps* ota_ops() { return ota_ops_.get(); }
    const FactoryData* factory_data() const { return factory_data_ ? &*factory_data_ : nullptr; }
    // The factory data's lcd_lang; French without factory data (or before it is read).
    LcdLanguage lcd_language() const { return secure_ota::lcd_language(factory_data()); }
    TelemetryWriter& telemetry() { return telemetry_; }
    Lcd& lcd() { return lcd_; }
    // Keeps the app from drawing on the LCD for kResultHoldMs from now (the update agent's result screen).
    void hold_display() {
        display_held_ = true;
        display_hold_until_ = board_clock_ms() + kResultHoldMs;
    }
    Led& led() { return led_; }
    const AppDescriptor& self() const { return self_; }

    // The "boot" and "partitions" events, also sent again on "status".
    void report_boot(bool status_report = false);
    void report_partitions();
    [[noreturn]] void restart(const std::string& why);

private:
    void handle_command(const std::string& line);
    void fatal(const std::string& code, const std::string& message);

    Board& board_;
    App& app_;
    TelemetryWriter telemetry_;
    Lcd lcd_;
    Led led_;
    LineReader reader_;
    AppContext ctx_;
    PartitionTable table_;
    PartitionEntry running_;
    AppDescriptor self_;
    std::optional<FactoryData> factory_data_;
    std::unique_ptr<OtaOps> ota_ops_;
    UpdateAgent* agent_ = nullptr;
    bool app_running_ = false;
    bool display_held_ = false;
    uint32_t display_hold_until_ = 0;
    uint32_t board_clock_ms();
    bool rollback_pending_ = false;
    uint32_t rollback_at_ = 0;
    uint32_t next_heartbeat_ = 0;
};

}  // namespace secure_ota
