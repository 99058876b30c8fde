#include "secure_ota/ota/rollback_memory.h"

#include <algorithm>

#include "secure_ota/app_image.h"
#include "secure_ota/byte_source.h"
#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota_data.h"

namespace secure_ota::ota {

std::string sha256_hex(const std::array<uint8_t, 32>& digest) {
    static const char hex[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : digest) {
        s += hex[b >> 4];
        s += hex[b & 15];
    }
    return s;
}

std::optional<RolledBackImage> find_rolled_back_image(Flash& flash, const PartitionTable& table,
                                                      const PartitionEntry& running, uint16_t chip) {
    const PartitionEntry* od = table.otadata();
    auto slots = table.ota_slots();
    if (!od || slots.empty()) return std::nullopt;
    OtaDataPair e;
    if (OtaData(flash, *od).read(e) != FlashStatus::Ok) return std::nullopt;
    int newest = -1;
    for (int i = 0; i < 2; ++i) {
        const OtaDataEntry& x = e[i];
        bool failed = x.ota_state == OtaImgState::Aborted || x.ota_state == OtaImgState::Invalid;
        if (x.ota_seq == OtaDataEntry::kBlankSeq || !x.crc_ok() || !failed) continue;
        if (newest < 0 || x.ota_seq > e[newest].ota_seq) newest = i;
    }
    if (newest < 0) return std::nullopt;
    const PartitionEntry& slot = *slots[(e[newest].ota_seq - 1) % slots.size()];
    if (slot == running) return std::nullopt;
    PartitionByteSource src(flash, slot);
    ImageVerification v = AppImageVerifier(chip).verify(src);
    if (!v.ok()) return std::nullopt;  // overwritten or erased since: nothing left to remember
    RolledBackImage r;
    r.version = v.info.descriptor.version;
    crypto::Sha256 h;
    uint8_t buf[4096];
    for (uint32_t at = 0; at < v.info.image_length;) {
        uint32_t n = std::min<uint32_t>(sizeof buf, v.info.image_length - at);
        if (!src.read(at, buf, n)) return std::nullopt;
        h.update(buf, n);
        at += n;
    }
    r.sha256 = h.finish();
    r.marked_invalid = e[newest].ota_state == OtaImgState::Invalid;
    r.reason = r.marked_invalid
                   ? "'" + slot.label + "' failed its self-test and marked itself invalid"
                   : "'" + slot.label + "' never confirmed itself (crash, hang or power cut before its self-test ended)";
    return r;
}

}  // namespace secure_ota::ota
