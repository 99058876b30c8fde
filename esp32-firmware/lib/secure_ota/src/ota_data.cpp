#include "secure_ota/ota_data.h"

#include <cstring>

#include "secure_ota/byte_order.h"
#include "secure_ota/crc32.h"

namespace secure_ota {

const char* to_string(OtaImgState state) {
    switch (state) {
        case OtaImgState::New: return "new";
        case OtaImgState::PendingVerify: return "pending_verify";
        case OtaImgState::Valid: return "valid";
        case OtaImgState::Invalid: return "invalid";
        case OtaImgState::Aborted: return "aborted";
        case OtaImgState::Undefined: return "undefined";
    }
    return "unknown";  // a value no ESP-IDF version writes
}

uint32_t OtaDataEntry::crc_of_seq(uint32_t seq) {
    uint8_t bytes[4];
    store_le32(bytes, seq);
    return crc32(bytes, sizeof bytes, 0xFFFFFFFF);
}

OtaDataEntry OtaDataEntry::make(uint32_t seq, OtaImgState state) {
    OtaDataEntry e;
    e.ota_seq = seq;
    e.ota_state = state;
    e.crc = crc_of_seq(seq);
    return e;
}

OtaDataEntry OtaDataEntry::parse(const uint8_t* bytes) {
    OtaDataEntry e;
    e.ota_seq = load_le32(bytes);
    std::memcpy(e.seq_label.data(), bytes + 4, e.seq_label.size());
    e.ota_state = static_cast<OtaImgState>(load_le32(bytes + 24));
    e.crc = load_le32(bytes + 28);
    return e;
}

std::array<uint8_t, OtaDataEntry::kSize> OtaDataEntry::serialize() const {
    std::array<uint8_t, kSize> out{};
    store_le32(out.data(), ota_seq);
    std::memcpy(out.data() + 4, seq_label.data(), seq_label.size());
    store_le32(out.data() + 24, static_cast<uint32_t>(ota_state));
    store_le32(out.data() + 28, crc);
    return out;
}

bool OtaDataEntry::is_blank() const {
    auto bytes = serialize();
    for (uint8_t b : bytes)
        if (b != 0xFF) return false;
    return true;
}

int active_otadata_index(const OtaDataPair& e) {
    bool v0 = e[0].is_valid(), v1 = e[1].is_valid();
    if (v0 && v1) return e[0].ota_seq >= e[1].ota_seq ? 0 : 1;
    if (v0) return 0;
    if (v1) return 1;
    return -1;
}

FlashStatus OtaData::read(OtaDataPair& out) const {
    for (int i = 0; i < 2; ++i) {
        uint8_t buf[OtaDataEntry::kSize];
        FlashStatus st = flash_.read(partition_.offset + i * kFlashSectorSize, buf, sizeof buf);
        if (st != FlashStatus::Ok) return st;
        out[i] = OtaDataEntry::parse(buf);
    }
    return FlashStatus::Ok;
}

FlashStatus OtaData::write_entry(int index, const OtaDataEntry& entry) {
    FlashStatus st = erase_entry(index);
    if (st != FlashStatus::Ok) return st;
    auto bytes = entry.serialize();
    return flash_.write(partition_.offset + index * kFlashSectorSize, bytes.data(), bytes.size());
}

FlashStatus OtaData::erase_entry(int index) {
    return flash_.erase(partition_.offset + index * kFlashSectorSize, kFlashSectorSize);
}

FlashStatus OtaData::erase_all() { return flash_.erase(partition_.offset, partition_.size); }

}  // namespace secure_ota
