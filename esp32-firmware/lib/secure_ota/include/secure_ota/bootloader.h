// The second-stage bootloader's decision, with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, after
// bootloader_utility_get_selected_boot_partition() and bootloader_utility_load_boot_image():
//   1. every otadata entry in PENDING_VERIFY is rewritten ABORTED (booted once, never confirmed);
//   2. no selectable entry (blank, INVALID or ABORTED): factory if present, else ota_0;
//   3. else the active entry's slot; NEW is rewritten PENDING_VERIFY first; entries that
//      are set but all fail their CRC select nothing: every slot is tried, factory first;
//   4. the chosen image must verify and pass anti-rollback, else the other slots are tried
//      (downwards to factory, then upwards), ignoring otadata.
// With no factory and a blank otadata, booting ota_N writes {seq N+1, VALID} into entry 0,
// as ESP-IDF's set_actual_ota_seq() does.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "secure_ota/app_image.h"
#include "secure_ota/flash.h"
#include "secure_ota/ota_data.h"
#include "secure_ota/partition_table.h"
#include "secure_ota/secure_version_store.h"

namespace secure_ota {

struct BootDecision {
    PartitionEntry partition;  // the slot to run
    ImageInfo image;           // its verified image
};

class Bootloader {
public:
    using Log = std::function<void(const std::string&)>;

    Bootloader(Flash& flash, const SecureVersionStore& fuses, uint16_t chip, Log log = {})
        : flash_(flash), fuses_(fuses), chip_(chip), log_(std::move(log)) {}

    // Applies the rules above (writing otadata as ESP-IDF does) and returns the slot to run,
    // or nullopt with error() explaining why nothing can boot.
    std::optional<BootDecision> select_and_verify();
    const std::string& error() const { return error_; }

    static constexpr int kFactoryIndex = -1;

private:
    int select_index(const PartitionTable& table, OtaData& otadata, bool& initial_contents);
    std::optional<BootDecision> try_slot(const PartitionEntry& part);
    void log(const std::string& line) const;

    Flash& flash_;
    const SecureVersionStore& fuses_;
    uint16_t chip_;
    Log log_;
    std::string error_;
};

}  // namespace secure_ota
