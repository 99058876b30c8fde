#include "secure_ota/power_cut_flash.h"

#include <vector>

namespace secure_ota {

PowerCutFlash::PowerCutFlash(Flash& inner, FlashOpCounter& counter, std::function<void()> on_cut)
    : inner_(inner), counter_(counter), on_cut_(std::move(on_cut)) {}

void PowerCutFlash::arm(FlashOpCounter& counter, uint32_t fail_after, CutPoint point) {
    counter.completed = 0;
    counter.fail_after = fail_after;
    counter.cut_point = static_cast<uint32_t>(point);
    counter.tripped = 0;
    counter.tripped_at = 0;
}

void PowerCutFlash::disarm(FlashOpCounter& counter) {
    counter.fail_after = FlashOpCounter::kDisarmed;
    counter.tripped = 0;
}

bool PowerCutFlash::cut_due() const {
    return counter_.fail_after != FlashOpCounter::kDisarmed && counter_.completed >= counter_.fail_after;
}

FlashStatus PowerCutFlash::cut() {
    counter_.tripped = 1;
    counter_.tripped_at = counter_.completed + 1;
    if (on_cut_) on_cut_();
    return FlashStatus::PowerLost;
}

FlashStatus PowerCutFlash::read(uint32_t address, void* out, size_t length) const {
    if (counter_.tripped) return FlashStatus::PowerLost;
    return inner_.read(address, out, length);
}

FlashStatus PowerCutFlash::write(uint32_t address, const void* data, size_t length) {
    if (counter_.tripped) return FlashStatus::PowerLost;
    if (cut_due()) {
        if (static_cast<CutPoint>(counter_.cut_point) == CutPoint::Halfway && length > 1) {
            // The first half of the bytes made it to the chip, the rest did not.
            inner_.write(address, data, length / 2);
        }
        return cut();
    }
    FlashStatus st = inner_.write(address, data, length);
    if (st == FlashStatus::Ok) ++counter_.completed;
    return st;
}

FlashStatus PowerCutFlash::erase(uint32_t address, size_t length) {
    if (counter_.tripped) return FlashStatus::PowerLost;
    if (address % kFlashSectorSize != 0 || length % kFlashSectorSize != 0) {
        return inner_.erase(address, length);  // let the chip model report the misalignment
    }
    // A multi-sector erase is a sequence of sector erases on the real chip, so each sector is
    // its own operation and a cut can fall between two of them.
    for (uint32_t off = 0; off < length; off += kFlashSectorSize) {
        if (cut_due()) {
            if (static_cast<CutPoint>(counter_.cut_point) == CutPoint::Halfway) {
                // An interrupted erase leaves the sector partly erased. We model the first
                // half as erased and the second half as untouched: deterministic, and as
                // bad for the reader as the real thing (neither old nor blank).
                std::vector<uint8_t> sector(kFlashSectorSize);
                if (inner_.read(address + off, sector.data(), sector.size()) == FlashStatus::Ok &&
                    inner_.erase(address + off, kFlashSectorSize) == FlashStatus::Ok) {
                    const size_t half = kFlashSectorSize / 2;
                    inner_.write(address + off + half, sector.data() + half, half);
                }
            }
            return cut();
        }
        FlashStatus st = inner_.erase(address + off, kFlashSectorSize);
        if (st != FlashStatus::Ok) return st;
        ++counter_.completed;
    }
    return FlashStatus::Ok;
}

}  // namespace secure_ota
