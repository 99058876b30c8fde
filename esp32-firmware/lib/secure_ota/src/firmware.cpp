#include "secure_ota/firmware.h"

#include "secure_ota/defence_profile.h"

#include "secure_ota/ota/verdict.h"

#include <cstdio>
#include <cstdlib>

#include "secure_ota/flash_ota_ops.h"
#include "secure_ota/partition_layouts.h"

namespace secure_ota {

Firmware::Firmware(Board& board, App& app)
    : board_(board),
      app_(app),
      telemetry_(board.serial()),
      lcd_(board.lcd_driver()),
      led_(board.led_driver()),
      ctx_{lcd_, led_, telemetry_, self_, nullptr} {
    lcd_.set_observer([this](const Lcd& l) { telemetry_.lcd(l); });
    led_.set_observer([this](const LedPattern& p) { telemetry_.led(p); });
}

void Firmware::fatal(const std::string& code, const std::string& message) {
    telemetry_.error(code, message);
    lcd_.show(lcd_text(LcdText::FirmwareError, lcd_language()), code.substr(0, kLcdColumns));
    led_.set(LedPattern::on());
}

void Firmware::setup() {
    std::string err;
    auto table = PartitionTable::read(board_.flash(), err);
    if (!table) {
        fatal("NO_PARTITION_TABLE", err);
        return;
    }
    table_ = *table;
    const PartitionEntry* running = table_.find_containing(board_.running_partition_offset());
    if (!running || !running->is_app()) {
        fatal("NO_RUNNING_PARTITION", "no app partition contains the running image's address");
        return;
    }
    running_ = *running;
    ImageVerification v = AppImageVerifier(board_.chip_id()).read_descriptor(PartitionByteSource(board_.flash(), running_));
    if (!v.ok()) {
        fatal("NO_APP_DESCRIPTOR", v.detail);
        return;
    }
    self_ = v.info.descriptor;
    ota_ops_ = board_.make_ota_ops(table_, running_);
    telemetry_.log(self_.project_name + " " + self_.version + " starting from partition '" + running_.label + "'");
    if (defence_profile().weakened())  // said loudly, at every boot: this build is a lab exhibit
        telemetry_.log(std::string("WARNING: weakened firmware, defence profile '") + defence_profile().name +
                       "': " + defence_profile().missing() + ". For the lab only; never the default.");

    // Trust anchors come only from the factory partition; without them the device runs but
    // will not update, and says so.
    if (const PartitionEntry* fd = find_factory_data(table_)) {
        factory_data_ = FactoryData::read(board_.flash(), *fd, err);
    } else {
        err = "the partition table has no factory_data partition";
    }
    ctx_.factory_data = factory_data();

    report_boot();
    report_partitions();
    if (!factory_data_) {
        telemetry_.error(error_code::kNotProvisioned, err + "; updates are disabled until the device is provisioned");
    }

    // The app's start is watched: a self-test or start() that hangs is reset by the task watchdog
    // (reason task_wdt), which leaves the image unconfirmed, so the bootloader rolls it back. Once
    // started, the loop's long operations (an update) are bounded by their own timeouts instead.
    board_.task_watchdog_add();
    std::string failure;
    bool passed = app_.self_test(ctx_, failure);
    telemetry_.selftest(passed, passed ? "all checks passed" : failure);
    if (!passed) {
        // esp_ota_mark_app_invalid_rollback_and_reboot(): the image says itself that it is bad
        // (INVALID), which the next firmware remembers and refuses to install again. An image
        // that never gets this far (a crash, a hang, a power cut before the self-test ends) is
        // only left PENDING_VERIFY, and the bootloader rolls it back as ABORTED: it may be
        // offered again. If marking fails, not confirming still rolls back.
        if (ota_ops_->running_state() == OtaImgState::PendingVerify) {
            if (ota_ops_->mark_app_invalid_rollback() == OtaError::Ok)
                telemetry_.log("self-test failed: image marked invalid; the previous app starts after the restart");
            else
                telemetry_.log("self-test failed: cannot mark the image invalid (" + ota_ops_->last_error() +
                               "); the bootloader rolls it back as never confirmed");
        }
        // Only an image that is still on probation can be rolled back; one already marked valid
        // (written without rollback) boots again after the restart: the board is bricked.
        const OtaImgState st = ota_ops_->running_state();
        const bool can_roll_back = st == OtaImgState::PendingVerify || st == OtaImgState::Invalid;
        if (!can_roll_back) telemetry_.error("BRICKED", "self-test failed and this image was marked valid before it ran (no rollback): it boots again");
        lcd_.show(lcd_text(LcdText::SelfTestFailed, lcd_language()),
                  can_roll_back ? lcd_text(LcdText::RollingBack, lcd_language()) : std::string("BRICKED: NO RB"));
        led_.set(LedPattern::strobe(400, 2, 50));
        rollback_pending_ = true;
        rollback_at_ = board_.clock().millis() + kRollbackDelayMs;
        board_.task_watchdog_delete();
        return;
    }
    OtaImgState state = ota_ops_->running_state();
    if (state == OtaImgState::PendingVerify || state == OtaImgState::New) {
        OtaError e = ota_ops_->mark_app_valid_cancel_rollback();
        if (e == OtaError::Ok) {
            telemetry_.log("self-test passed: image confirmed (rollback cancelled)");
            telemetry_.app_state(running_.subtype_name(), ota_ops_->running_state());
        } else {
            telemetry_.error("CONFIRM_FAILED", ota_ops_->last_error());
        }
    }
    if (factory_data_) {
        app_.start(ctx_, board_.clock().millis());
        // A weakened build keeps its second LCD line for the warning (the product's top line stays).
        if (defence_profile().weakened()) lcd_.show(lcd_.row_text(0), defence_profile().lcd_line());
    } else {
        // The product screens would suggest everything is fine; it is not.
        lcd_.show(lcd_text(LcdText::NotProvisioned, lcd_language()), lcd_text(LcdText::NoFactoryData, lcd_language()));
        led_.set(LedPattern::blink(250, 50));
    }
    board_.task_watchdog_delete();
    app_running_ = true;
    next_heartbeat_ = board_.clock().millis() + kHeartbeatPeriodMs;
}

uint32_t Firmware::board_clock_ms() { return board_.clock().millis(); }

void Firmware::loop() {
    uint32_t now = board_.clock().millis();
    std::string line;
    while (reader_.poll(board_.serial(), line)) handle_command(line);
    led_.tick(now);
    if (rollback_pending_ && static_cast<int32_t>(now - rollback_at_) >= 0)
        restart("self-test failed; restarting without confirming this image");
    if (display_held_ && static_cast<int32_t>(now - display_hold_until_) >= 0) display_held_ = false;
    if (app_running_ && factory_data_ && !display_held_) app_.loop(ctx_, now);
    if (agent_) agent_->loop(now);
    if (static_cast<int32_t>(now - next_heartbeat_) >= 0 && ota_ops_) {
        telemetry_.heartbeat(now, self_.version, ota_ops_->running_state());
        next_heartbeat_ = now + kHeartbeatPeriodMs;
    }
}

void Firmware::handle_command(const std::string& line) {
    std::string name;
    switch (parse_command(line, name)) {
        case TelemetryCommand::None: return;
        case TelemetryCommand::Status:
            telemetry_.ack(name);
            report_boot(true);
            report_partitions();
            telemetry_.lcd(lcd_);
            telemetry_.led(led_.pattern());
            return;
        case TelemetryCommand::Reboot:
            telemetry_.ack(name);
            restart("reboot requested over serial");
        case TelemetryCommand::Check:
            telemetry_.ack(name);
            if (!factory_data_) {
                telemetry_.ota_verdict(ota::to_string(ota::Verdict::NotProvisioned),
                                       "no factory data: no server, no trust anchors", "");
            } else if (!agent_) {
                telemetry_.ota_verdict(ota::to_string(ota::Verdict::Unsupported), ota::reason(ota::Verdict::Unsupported), "");
            } else {
                agent_->check_now();
            }
            return;
        case TelemetryCommand::Unknown:
            telemetry_.error("BAD_COMMAND", "unknown command '" + name + "'; expected check, reboot or status");
            return;
    }
}

void Firmware::report_boot(bool status_report) {
    BootReport b;
    b.status_report = status_report;
    b.slot = running_.subtype_name();
    b.label = running_.label;
    b.app = self_;
    b.reset_reason = board_.reset_reason();
    b.state = ota_ops_ ? ota_ops_->running_state() : OtaImgState::Undefined;
    b.provisioned = factory_data_.has_value();
    if (factory_data_) b.device_id = factory_data_->device_id;
    b.min_secure_version = board_.secure_version_store().min_secure_version();
    b.profile = defence_profile().name;
    b.missing_defences = defence_profile().missing();
    telemetry_.boot(b);
}

void Firmware::report_partitions() {
    OtaDataPair otadata;
    const PartitionEntry* od = table_.otadata();
    if (od) OtaData(board_.flash(), *od).read(otadata);
    auto ota = table_.ota_slots();
    const PartitionEntry* next = ota_ops_ ? ota_ops_->boot_partition() : nullptr;
    std::vector<SlotReport> slots;
    for (const PartitionEntry* p : table_.app_slots()) {
        SlotReport s;
        s.partition = *p;
        s.running = *p == running_;
        s.next_boot = next && *next == *p;
        for (int i = 0; i < 2 && p->is_ota_app() && !ota.empty(); ++i) {
            const auto& e = otadata[i];
            if (e.ota_seq != OtaDataEntry::kBlankSeq && e.crc_ok() &&
                static_cast<int>((e.ota_seq - 1) % ota.size()) == p->ota_index() &&
                (s.otadata_index < 0 || e.ota_seq > otadata[s.otadata_index].ota_seq)) {
                s.otadata_index = i;
                s.state = e.ota_state;
            }
        }
        ImageVerification v = AppImageVerifier(board_.chip_id()).verify(PartitionByteSource(board_.flash(), *p));
        s.image_valid = v.ok();
        if (v.ok()) s.descriptor = v.info.descriptor;
        else s.image_error = std::string(to_string(v.error)) + ": " + v.detail;
        slots.push_back(s);
    }
    telemetry_.partitions(table_, otadata, slots);
}

void Firmware::restart(const std::string& why) {
    telemetry_.log("restarting: " + why);
    board_.restart();
    std::abort();  // a Board whose restart() returns is broken; never run on regardless
}

std::unique_ptr<OtaOps> Board::make_ota_ops(const PartitionTable& table, const PartitionEntry& running) {
    return std::make_unique<FlashOtaOps>(flash(), table, running, secure_version_store(), chip_id());
}

}  // namespace secure_ota
