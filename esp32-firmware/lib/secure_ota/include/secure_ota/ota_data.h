// otadata: two sectors, each holding one esp_ota_select_entry_t at its start. Which slot
// boots is decided by the valid entry with the larger sequence number.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "secure_ota/flash.h"
#include "secure_ota/partition_table.h"

namespace secure_ota {

// esp_ota_img_states_t
enum class OtaImgState : uint32_t {
    New = 0,
    PendingVerify = 1,
    Valid = 2,
    Invalid = 3,
    Aborted = 4,
    Undefined = 0xFFFFFFFF,
};

const char* to_string(OtaImgState state);  // "new", "pending_verify", ... "undefined"

// esp_ota_select_entry_t: u32 ota_seq; u8 seq_label[20]; u32 ota_state; u32 crc (32 bytes).
struct OtaDataEntry {
    static constexpr size_t kSize = 32;
    static constexpr uint32_t kBlankSeq = 0xFFFFFFFF;

    uint32_t ota_seq = kBlankSeq;
    std::array<uint8_t, 20> seq_label;  // unused by ESP-IDF, left 0xFF
    OtaImgState ota_state = OtaImgState::Undefined;
    uint32_t crc = 0xFFFFFFFF;

    OtaDataEntry() { seq_label.fill(0xFF); }
    static OtaDataEntry make(uint32_t seq, OtaImgState state);
    static OtaDataEntry parse(const uint8_t* bytes);
    std::array<uint8_t, kSize> serialize() const;

    // bootloader_common_ota_select_crc: CRC-32 of the 4 seq bytes, seeded with 0xFFFFFFFF.
    static uint32_t crc_of_seq(uint32_t seq);
    bool crc_ok() const { return crc == crc_of_seq(ota_seq); }
    // bootloader_common_ota_select_valid
    bool is_valid() const {
        return ota_seq != kBlankSeq && crc_ok() && ota_state != OtaImgState::Invalid &&
               ota_state != OtaImgState::Aborted;
    }
    // Never written since its sector was erased.
    bool is_blank() const;
};

using OtaDataPair = std::array<OtaDataEntry, 2>;

// bootloader_common_get_active_otadata: the valid entry with the larger seq, or -1.
int active_otadata_index(const OtaDataPair& entries);

// Access to the otadata partition through the flash interface.
class OtaData {
public:
    OtaData(Flash& flash, const PartitionEntry& partition) : flash_(flash), partition_(partition) {}

    FlashStatus read(OtaDataPair& out) const;
    // As ESP-IDF does for every update of an entry: erase its sector, then write 32 bytes.
    FlashStatus write_entry(int index, const OtaDataEntry& entry);
    FlashStatus erase_entry(int index);
    FlashStatus erase_all();
    const PartitionEntry& partition() const { return partition_; }

private:
    Flash& flash_;
    PartitionEntry partition_;
};

}  // namespace secure_ota
