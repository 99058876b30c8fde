#include "secure_ota/flash_ota_ops.h"

#include "secure_ota/defence_profile.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace secure_ota {
namespace {

// The image as it will be once end() writes the held-back header: flash for everything
// except the first 16 bytes, which still live in RAM.
class HeldBackSource : public ByteSource {
public:
    HeldBackSource(const Flash& flash, const PartitionEntry& part, const uint8_t* held, size_t held_len)
        : inner_(flash, part), held_(held), held_len_(held_len) {}
    uint32_t size() const override { return inner_.size(); }
    bool read(uint32_t offset, void* out, size_t length) const override {
        if (!inner_.read(offset, out, length)) return false;
        if (offset < held_len_)  // only the overlap with the held-back bytes, not a test per byte
            std::memcpy(out, held_ + offset, std::min<size_t>(length, held_len_ - offset));
        return true;
    }

private:
    PartitionByteSource inner_;
    const uint8_t* held_;
    size_t held_len_;
};

}  // namespace

const char* to_string(OtaError e) {
    switch (e) {
        case OtaError::Ok: return "ok";
        case OtaError::InvalidArgument: return "invalid argument";
        case OtaError::PartitionConflict: return "target is the running partition";
        case OtaError::RollbackInvalidState: return "running app is not confirmed yet";
        case OtaError::NoSession: return "no OTA in progress";
        case OtaError::SizeMismatch: return "image size mismatch";
        case OtaError::ValidateFailed: return "image validation failed";
        case OtaError::SmallSecureVersion: return "secure_version below the anti-rollback minimum";
        case OtaError::NoOtaData: return "no otadata partition";
        case OtaError::NotAnOtaApp: return "running app is not an OTA app";
        case OtaError::RollbackFailed: return "no other valid app to roll back to";
        case OtaError::FlashFailed: return "flash operation failed";
    }
    return "unknown";
}

FlashOtaOps::FlashOtaOps(Flash& flash, PartitionTable table, PartitionEntry running, SecureVersionStore& fuses, uint16_t chip)
    : flash_(flash), table_(std::move(table)), running_(std::move(running)), fuses_(fuses), chip_(chip) {}

OtaError FlashOtaOps::fail(OtaError e, const std::string& why) {
    last_error_ = std::string(to_string(e)) + ": " + why;
    return e;
}

OtaError FlashOtaOps::flash_fail(FlashStatus status, const std::string& what) {
    // Keeps the flash's own verdict ("power lost", "write to non-erased flash"...): a NOR
    // violation is a firmware bug and must be visible, not folded into a generic failure.
    return fail(OtaError::FlashFailed, what + " (" + to_string(status) + ")");
}

const PartitionEntry* FlashOtaOps::next_update_partition() const {
    auto slots = table_.ota_slots();
    if (slots.empty()) return nullptr;
    if (!running_.is_ota_app()) return slots[0];
    for (size_t i = 0; i < slots.size(); ++i)
        if (*slots[i] == running_) return slots[(i + 1) % slots.size()];
    return slots[0];
}

OtaImgState FlashOtaOps::running_state() const {
    const PartitionEntry* od = table_.otadata();
    if (!od || !running_.is_ota_app()) return OtaImgState::Undefined;
    OtaDataPair e;
    if (OtaData(flash_, *od).read(e) != FlashStatus::Ok) return OtaImgState::Undefined;
    size_t n = table_.ota_slots().size();
    for (const auto& x : e)
        if (x.ota_seq != OtaDataEntry::kBlankSeq && x.crc_ok() &&
            static_cast<int>((x.ota_seq - 1) % n) == running_.ota_index())
            return x.ota_state;  // esp_ota_get_state_partition: the entry naming this slot
    return OtaImgState::Undefined;
}

const PartitionEntry* FlashOtaOps::boot_partition() const {
    const PartitionEntry* od = table_.otadata();
    auto slots = table_.ota_slots();
    OtaDataPair e;
    if (od && !slots.empty() && OtaData(flash_, *od).read(e) == FlashStatus::Ok) {
        int active = active_otadata_index(e);
        if (active >= 0) return slots[(e[active].ota_seq - 1) % slots.size()];
    }
    if (const PartitionEntry* f = table_.factory_app()) return f;
    return slots.empty() ? nullptr : slots[0];
}

OtaError FlashOtaOps::invalidate_inactive_otadata() {
    const PartitionEntry* od = table_.otadata();
    if (!od) return OtaError::Ok;
    OtaData otadata(flash_, *od);
    OtaDataPair e;
    if (FlashStatus st = otadata.read(e); st != FlashStatus::Ok) return flash_fail(st, "cannot read otadata");
    int active = active_otadata_index(e);
    if (active < 0) return OtaError::Ok;
    int inactive = active ^ 1;
    // As esp_ota_begin() does since ESP-IDF 5.5 (esp_ota_invalidate_inactive_ota_data_slot):
    // no stale entry is left that a later seq comparison could resurrect. Skipped when the
    // sector is already blank, to spare an erase cycle.
    if (!e[inactive].is_blank()) {
        if (FlashStatus st = otadata.erase_entry(inactive); st != FlashStatus::Ok)
            return flash_fail(st, "cannot erase the inactive otadata sector");
    }
    return OtaError::Ok;
}

OtaError FlashOtaOps::begin(const PartitionEntry& target, uint32_t image_size) {
    if (session_.active) abort();
    if (!target.is_ota_app()) return fail(OtaError::InvalidArgument, "'" + target.label + "' is not an OTA app slot");
    if (target == running_) return fail(OtaError::PartitionConflict, "cannot overwrite the running app '" + target.label + "'");
    if (running_state() == OtaImgState::PendingVerify)
        return fail(OtaError::RollbackInvalidState, "confirm the running app (mark valid) before updating");
    if (image_size != kSizeUnknown && (image_size == 0 || image_size > target.size)) {
        char msg[120];
        std::snprintf(msg, sizeof msg, "image of %u bytes does not fit slot '%s' (%u bytes)", unsigned(image_size),
                      target.label.c_str(), unsigned(target.size));
        return fail(OtaError::InvalidArgument, msg);
    }
    OtaError e = invalidate_inactive_otadata();
    if (e != OtaError::Ok) return e;
    session_ = Session{};
    session_.target = target;
    session_.expected = image_size;
    // Erasing the first sector now makes the old image in the slot unbootable at once; the
    // other sectors are erased just before they are programmed (OTA_WITH_SEQUENTIAL_WRITES).
    if (FlashStatus st = flash_.erase(target.offset, kFlashSectorSize); st != FlashStatus::Ok)
        return flash_fail(st, "cannot erase the first sector of '" + target.label + "'");
    session_.erased_to = kFlashSectorSize;
    session_.block.reserve(kFlashSectorSize);
    session_.active = true;
    return OtaError::Ok;
}

OtaError FlashOtaOps::flush_block() {
    Session& s = session_;
    if (s.block.empty()) return OtaError::Ok;
    uint32_t at = s.target.offset + s.flushed;
    if (s.flushed >= s.erased_to) {
        if (FlashStatus st = flash_.erase(s.target.offset + s.erased_to, kFlashSectorSize); st != FlashStatus::Ok)
            return flash_fail(st, "cannot erase the next sector of the slot");
        s.erased_to += kFlashSectorSize;
    }
    size_t skip = 0;
    if (s.flushed == 0) {
        // Hold the header back: until end() the slot's first bytes stay 0xFF.
        skip = std::min(kHeldBackBytes, s.block.size());
        std::memcpy(s.held.data(), s.block.data(), skip);
    }
    if (s.block.size() > skip) {
        FlashStatus st = flash_.write(at + skip, s.block.data() + skip, s.block.size() - skip);
        if (st != FlashStatus::Ok) return flash_fail(st, "cannot program the slot");
    }
    s.flushed += static_cast<uint32_t>(s.block.size());
    s.block.clear();
    return OtaError::Ok;
}

OtaError FlashOtaOps::write(const void* data, size_t length) {
    Session& s = session_;
    if (!s.active) return fail(OtaError::NoSession, "call begin() first");
    const auto* p = static_cast<const uint8_t*>(data);
    if (length > 0 && s.received == 0 && p[0] != kImageMagic) {
        abort();
        return fail(OtaError::ValidateFailed, "first byte is not 0xE9: this is not an app image");
    }
    uint32_t limit = s.expected != kSizeUnknown ? s.expected : s.target.size;
    if (length > limit - s.received) {
        abort();
        return fail(OtaError::SizeMismatch, "more bytes than " + std::to_string(limit));
    }
    while (length > 0) {
        size_t n = std::min<size_t>(length, kFlashSectorSize - s.block.size());
        s.block.insert(s.block.end(), p, p + n);
        s.received += static_cast<uint32_t>(n);
        p += n;
        length -= n;
        if (s.block.size() == kFlashSectorSize) {
            OtaError e = flush_block();
            if (e != OtaError::Ok) {
                s.active = false;
                return e;
            }
        }
    }
    return OtaError::Ok;
}

OtaError FlashOtaOps::resume_from(uint32_t offset) {
    if (!session_.active) return fail(OtaError::NoSession, "nothing to resume");
    if (offset != session_.flushed)
        return fail(OtaError::InvalidArgument, "resume offset must be resume_offset() = " + std::to_string(session_.flushed));
    session_.block.clear();
    session_.received = session_.flushed;
    return OtaError::Ok;
}

void FlashOtaOps::abort() { session_.active = false; }

OtaError FlashOtaOps::end() {
    Session& s = session_;
    if (!s.active) return fail(OtaError::NoSession, "call begin() first");
    s.active = false;
    if (s.expected != kSizeUnknown && s.received != s.expected)
        return fail(OtaError::SizeMismatch, "received " + std::to_string(s.received) + " of " +
                                                std::to_string(s.expected) + " bytes");
    OtaError e = flush_block();
    if (e != OtaError::Ok) return e;
    HeldBackSource src(flash_, s.target, s.held.data(), std::min<size_t>(kHeldBackBytes, s.flushed));
    ImageVerification v = AppImageVerifier(chip_).verify(src);
    if (!v.ok()) return fail(OtaError::ValidateFailed, std::string(to_string(v.error)) + ": " + v.detail);
    if (v.info.image_length != s.received)
        return fail(OtaError::ValidateFailed, "image is " + std::to_string(v.info.image_length) + " bytes but " +
                                                  std::to_string(s.received) + " were written");
    size_t held = std::min<size_t>(kHeldBackBytes, s.flushed);
    if (FlashStatus st = flash_.write(s.target.offset, s.held.data(), held); st != FlashStatus::Ok)
        return flash_fail(st, "cannot write the image header");
    return OtaError::Ok;
}

bool FlashOtaOps::slot_has_valid_image(const PartitionEntry& part) const {
    return AppImageVerifier(chip_).verify(PartitionByteSource(flash_, part)).ok();
}

OtaError FlashOtaOps::set_boot_partition(const PartitionEntry& target) {
    if (!target.is_app()) return fail(OtaError::InvalidArgument, "'" + target.label + "' is not an app partition");
    ImageVerification v = AppImageVerifier(chip_).verify(PartitionByteSource(flash_, target));
    if (!v.ok()) return fail(OtaError::ValidateFailed, std::string(to_string(v.error)) + ": " + v.detail);
    if (v.info.descriptor.secure_version < fuses_.min_secure_version())
        return fail(OtaError::SmallSecureVersion, "image secure_version " + std::to_string(v.info.descriptor.secure_version) +
                                                      " < minimum " + std::to_string(fuses_.min_secure_version()));
    const PartitionEntry* od = table_.otadata();
    if (!od) return fail(OtaError::NoOtaData, "the partition table has no otadata");
    OtaData otadata(flash_, *od);
    if (target.is_factory_app()) {
        // Booting factory = no otadata at all.
        FlashStatus st = otadata.erase_all();
        return st == FlashStatus::Ok ? OtaError::Ok : flash_fail(st, "cannot erase otadata");
    }
    if (!target.is_ota_app()) return fail(OtaError::InvalidArgument, "test partitions are not supported");
    OtaDataPair e;
    if (FlashStatus st = otadata.read(e); st != FlashStatus::Ok) return flash_fail(st, "cannot read otadata");
    const uint32_t n = static_cast<uint32_t>(table_.ota_slots().size());
    const uint32_t sub = static_cast<uint32_t>(target.ota_index());
    int active = active_otadata_index(e);
    int next;
    uint32_t seq;
    if (active >= 0) {
        // esp_rewrite_ota_data(): the smallest seq >= the active one that maps to the target
        // slot, written into the other sector so that the current entry survives a cut.
        uint32_t i = 0;
        while (e[active].ota_seq > (sub + 1) % n + i * n) ++i;
        seq = (sub + 1) % n + i * n;
        next = active ^ 1;
    } else {
        seq = sub + 1;
        next = 0;
    }
    OtaDataEntry entry = e[next];  // keeps the seq_label bytes, as ESP-IDF does
    entry.ota_seq = seq;
    // New: the bootloader boots it PENDING_VERIFY and rolls it back unless it confirms itself. A
    // lab build without rollback (defence_profile.h) writes it as trusted at once, like a sketch
    // calling Update.end(true) on a bootloader without rollback: a broken image is then final.
    entry.ota_state = defence_profile().rollback ? OtaImgState::New : OtaImgState::Valid;
    entry.crc = OtaDataEntry::crc_of_seq(seq);
    if (FlashStatus st = otadata.write_entry(next, entry); st != FlashStatus::Ok) return flash_fail(st, "cannot write otadata");
    return OtaError::Ok;
}

OtaError FlashOtaOps::mark_app_valid_cancel_rollback() {
    const PartitionEntry* od = table_.otadata();
    if (!od) return fail(OtaError::NoOtaData, "the partition table has no otadata");
    OtaData otadata(flash_, *od);
    OtaDataPair e;
    if (FlashStatus st = otadata.read(e); st != FlashStatus::Ok) return flash_fail(st, "cannot read otadata");
    int active = active_otadata_index(e);
    auto slots = table_.ota_slots();
    if (active < 0 || slots.empty() || !running_.is_ota_app())
        return fail(OtaError::NotAnOtaApp, "running the factory app: nothing to confirm");
    if (static_cast<int>((e[active].ota_seq - 1) % slots.size()) != running_.ota_index())
        return fail(OtaError::NotAnOtaApp, "otadata selects another slot than the running one");
    if (e[active].ota_state != OtaImgState::Valid) {
        e[active].ota_state = OtaImgState::Valid;
        if (FlashStatus st = otadata.write_entry(active, e[active]); st != FlashStatus::Ok)
            return flash_fail(st, "cannot write otadata");
    }
    ImageVerification v = AppImageVerifier(chip_).read_descriptor(PartitionByteSource(flash_, running_));
    if (v.ok()) fuses_.raise_min_secure_version(v.info.descriptor.secure_version);
    return OtaError::Ok;
}

OtaError FlashOtaOps::mark_app_invalid_rollback() {
    const PartitionEntry* od = table_.otadata();
    if (!od) return fail(OtaError::NoOtaData, "the partition table has no otadata");
    OtaData otadata(flash_, *od);
    OtaDataPair e;
    if (FlashStatus st = otadata.read(e); st != FlashStatus::Ok) return flash_fail(st, "cannot read otadata");
    int active = active_otadata_index(e);
    if (active < 0 || !running_.is_ota_app()) return fail(OtaError::NotAnOtaApp, "running the factory app");
    // check_rollback_is_possible(): another slot must hold a bootable image.
    bool possible = false;
    for (const PartitionEntry* p : table_.app_slots())
        if (!(*p == running_) && slot_has_valid_image(*p)) possible = true;
    if (!possible) return fail(OtaError::RollbackFailed, "no other slot holds a valid app");
    e[active].ota_state = OtaImgState::Invalid;
    if (FlashStatus st = otadata.write_entry(active, e[active]); st != FlashStatus::Ok) return flash_fail(st, "cannot write otadata");
    return OtaError::Ok;
}

}  // namespace secure_ota
