#include "secure_ota/bootloader.h"

#include <cstdio>

namespace secure_ota {

void Bootloader::log(const std::string& line) const {
    if (log_) log_(line);
}

int Bootloader::select_index(const PartitionTable& table, OtaData& otadata, bool& initial_contents) {
    char msg[160];
    OtaDataPair e;
    if (otadata.read(e) != FlashStatus::Ok) {
        log("cannot read otadata, treating it as empty");
        e = OtaDataPair{};
    }
    // Rule 1: an app that was started once and did not confirm itself is rolled back.
    for (int i = 0; i < 2; ++i) {
        if (e[i].ota_state == OtaImgState::PendingVerify) {
            std::snprintf(msg, sizeof msg, "otadata[%d] (seq %u) was never confirmed: marking it ABORTED", i,
                          unsigned(e[i].ota_seq));
            log(msg);
            e[i].ota_state = OtaImgState::Aborted;
            otadata.write_entry(i, e[i]);
        }
    }
    size_t app_count = table.ota_slots().size();
    // ESP-IDF tests "nothing to select" with bootloader_common_ota_select_invalid(), which
    // looks at seq and state but not at the CRC; an entry whose CRC is bad is caught below.
    auto unselectable = [](const OtaDataEntry& x) {
        return x.ota_seq == OtaDataEntry::kBlankSeq || x.ota_state == OtaImgState::Invalid ||
               x.ota_state == OtaImgState::Aborted;
    };
    auto initial = [](const OtaDataEntry& x) { return x.ota_seq == OtaDataEntry::kBlankSeq || !x.crc_ok(); };
    // Rule 2: nothing in otadata.
    if ((unselectable(e[0]) && unselectable(e[1])) || app_count == 0) {
        if (table.factory_app()) {
            log("no valid otadata entry: defaulting to the factory app");
            return kFactoryIndex;
        }
        log("no valid otadata entry and no factory app: trying ota_0");
        initial_contents = initial(e[0]) && initial(e[1]);
        return 0;
    }
    int active = active_otadata_index(e);
    if (active < 0) {
        // Entries present but none valid (bad CRCs, e.g. a write cut by a power loss):
        // try every partition from factory upwards, and leave otadata as it is.
        log("otadata entries present but none valid (CRC): trying all app partitions");
        return kFactoryIndex;
    }
    // Rule 3: the active entry decides.
    int index = static_cast<int>((e[active].ota_seq - 1) % app_count);
    if (e[active].ota_state == OtaImgState::New) {
        std::snprintf(msg, sizeof msg, "otadata[%d] (seq %u) is NEW: marking it PENDING_VERIFY", active,
                      unsigned(e[active].ota_seq));
        log(msg);
        e[active].ota_state = OtaImgState::PendingVerify;
        otadata.write_entry(active, e[active]);
    }
    std::snprintf(msg, sizeof msg, "active otadata[%d] seq %u -> ota_%d", active, unsigned(e[active].ota_seq), index);
    log(msg);
    return index;
}

std::optional<BootDecision> Bootloader::try_slot(const PartitionEntry& part) {
    char msg[240];
    PartitionByteSource src(flash_, part);
    ImageVerification v = AppImageVerifier(chip_).verify(src);
    if (!v.ok()) {
        std::snprintf(msg, sizeof msg, "partition '%s' at 0x%x: image invalid: %s (%s)", part.label.c_str(),
                      unsigned(part.offset), to_string(v.error), v.detail.c_str());
        log(msg);
        return std::nullopt;
    }
    // check_anti_rollback(): a slot below the burnt-in minimum is never started.
    uint32_t min = fuses_.min_secure_version();
    if (v.info.descriptor.secure_version < min) {
        std::snprintf(msg, sizeof msg, "partition '%s': secure_version %u is below the minimum %u: skipped",
                      part.label.c_str(), unsigned(v.info.descriptor.secure_version), unsigned(min));
        log(msg);
        return std::nullopt;
    }
    std::snprintf(msg, sizeof msg, "loaded app '%s' %s from partition '%s' at offset 0x%x",
                  v.info.descriptor.project_name.c_str(), v.info.descriptor.version.c_str(), part.label.c_str(),
                  unsigned(part.offset));
    log(msg);
    return BootDecision{part, v.info};
}

std::optional<BootDecision> Bootloader::select_and_verify() {
    auto table = PartitionTable::read(flash_, error_);
    if (!table) {
        error_ = "no valid partition table at 0x8000: " + error_;
        return std::nullopt;
    }
    const PartitionEntry* otadata_part = table->otadata();
    auto ota = table->ota_slots();
    auto slot_at = [&](int index) -> const PartitionEntry* {
        if (index == kFactoryIndex) return table->factory_app();
        return index >= 0 && index < static_cast<int>(ota.size()) ? ota[index] : nullptr;
    };

    int start = kFactoryIndex;
    bool initial_contents = false;
    std::optional<OtaData> otadata;
    if (otadata_part) {
        otadata.emplace(flash_, *otadata_part);
        start = select_index(*table, *otadata, initial_contents);
    } else if (!table->factory_app()) {
        start = 0;
    }

    auto boot = [&](int index) -> std::optional<BootDecision> {
        const PartitionEntry* part = slot_at(index);
        if (!part) return std::nullopt;
        auto decision = try_slot(*part);
        if (decision && index > kFactoryIndex && initial_contents && otadata) {
            // set_actual_ota_seq(): give a factory-less board a real otadata entry.
            otadata->write_entry(0, OtaDataEntry::make(static_cast<uint32_t>(index) + 1, OtaImgState::Valid));
            log("blank otadata: wrote seq " + std::to_string(index + 1) + " VALID into otadata[0]");
        }
        return decision;
    };
    // Rule 4, in bootloader_utility_load_boot_image()'s order.
    for (int i = start; i >= kFactoryIndex; --i)
        if (auto d = boot(i)) return d;
    for (int i = start + 1; i < static_cast<int>(ota.size()); ++i)
        if (auto d = boot(i)) return d;
    error_ = "no bootable app partition: every app slot is empty, corrupt or below the anti-rollback minimum";
    return std::nullopt;
}

}  // namespace secure_ota
