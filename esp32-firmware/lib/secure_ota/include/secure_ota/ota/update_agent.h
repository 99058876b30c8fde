// The OTA engine as H1's Firmware runtime sees it (secure_ota/firmware.h, UpdateAgent):
// the workbench's "check" command runs one update attempt, which
//   - refuses with BUSY while an attempt runs, NOT_PROVISIONED without usable factory data;
//   - runs UpdateEngine with the trust anchors of the factory partition only;
//   - sends the "ota" telemetry events and exactly one verdict line;
//   - shows the LCD alert ("ALERTE SÉCURITÉ" / "HASH INVALID" ...) for refusals;
//   - reports the verdict to the server (best effort);
//   - on UPDATED restarts into the bootloader (which boots the new slot, PENDING_VERIFY).
// The attempt is synchronous (check_now() returns when it is over): the device does nothing
// else while it updates, as the Arduino Update flow does.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "secure_ota/board.h"
#include "secure_ota/firmware.h"
#include "secure_ota/ota/update_engine.h"

namespace secure_ota::ota {

// Board::clock() (32-bit millis since boot) as the engine's monotonic 64-bit clock.
class BoardMonotonicClock : public ota::Clock {
public:
    explicit BoardMonotonicClock(secure_ota::Clock& c) : c_(c) {}
    uint64_t monotonic_ms() override {
        uint32_t now = c_.millis();
        if (now < last_) high_ += 1ull << 32;  // millis() wrapped (after ~49 days)
        last_ = now;
        return high_ | now;
    }

private:
    secure_ota::Clock& c_;
    uint32_t last_ = 0;
    uint64_t high_ = 0;
};

// The firmware's build time for the time floor: esp_app_desc_t's __DATE__ ("Dec  7 2026") and
// __TIME__ ("11:30:00") as UTC; an image without them (the virtual board's reproducible images
// say "host build") falls back to SECURE_OTA_SOURCE_EPOCH, the source's commit time given by
// the build (0 when unknown).
int64_t firmware_build_time(const AppDescriptor& self);

class OtaUpdateAgent : public UpdateAgent {
public:
    // What the board port supplies. The connector is made per attempt from the factory CA.
    struct Port {
        std::function<std::unique_ptr<Connector>(const std::string& ca_pem, TrustedTime& time)> make_connector;
        TrustedTime& time;          // SNTP-synchronised (SyncedTime) on the host board
        CounterStore& counters;     // persistent highest manifest counter
        // Called on UPDATED; default: firmware.restart(). Tests replace it.
        std::function<void(const std::string& why)> restart;
        // The remembered rollback (rollback_memory.h); null = kept in RAM until the next boot.
        RollbackStore* rollbacks = nullptr;
        // The time floor (NVS on the ESP32, a file on the virtual board); null = kept in RAM.
        TimeFloorStore* time_floor = nullptr;
        // The latest signed freshness statement (NVS / a file); null = kept in RAM.
        FreshnessStore* freshness = nullptr;
    };

    OtaUpdateAgent(Firmware& firmware, Board& board, Port port);

    void check_now() override;

    // The last attempt's result (for tests and the "status" command).
    const std::optional<UpdateResult>& last_result() const { return last_; }
    // Optional tuning (timeouts, resumes); server/identity always come from factory data.
    void set_limits(uint32_t total_timeout_ms, uint32_t max_resumes, uint32_t read_timeout_ms);

private:
    void finish(const UpdateResult& r, const RunningApp& running, UpdateEngine* engine);
    // Learns of a rollback since the last check (esp_ota_get_last_invalid_partition) and
    // returns what is remembered, reported or not.
    std::optional<RolledBackImage> remember_rollback();

    Firmware& fw_;
    Board& board_;
    Port port_;
    BoardMonotonicClock clock_;
    RamRollbackStore ram_rollbacks_;
    RamTimeFloorStore ram_time_floor_;
    RamFreshnessStore ram_freshness_;
    bool busy_ = false;
    std::optional<UpdateResult> last_;
    uint32_t total_timeout_ms_ = 300000;
    uint32_t max_resumes_ = 3;
    uint32_t read_timeout_ms_ = 10000;
};

}  // namespace secure_ota::ota
