#include "secure_ota/ota/flash_counter_store.h"

#include <cstring>

#include "secure_ota/crc32.h"

namespace secure_ota::ota {
namespace {
void put32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
}  // namespace

FlashCounterStore::Slot FlashCounterStore::read_slot(int index) const {
    Slot s;
    uint8_t r[kRecordSize];
    if (flash_.read(offset_ + uint32_t(index) * kFlashSectorSize, r, sizeof r) != FlashStatus::Ok) return s;
    if (get32(r) != kMagic || get32(r + 60) != crc32(r, 60)) return s;
    if (r[16 + 31] != 0) return s;  // version must be NUL-terminated
    s.valid = true;
    s.seq = get32(r + 4);
    s.record.counter = uint64_t(get32(r + 8)) | uint64_t(get32(r + 12)) << 32;
    size_t len = 0;
    while (len < 32 && r[16 + len] != 0) ++len;
    s.record.version = std::string(reinterpret_cast<const char*>(r + 16), len);
    return s;
}

std::optional<CounterRecord> FlashCounterStore::load() {
    Slot a = read_slot(0), b = read_slot(1);
    if (!a.valid && !b.valid) return std::nullopt;
    if (a.valid && (!b.valid || a.seq >= b.seq)) return a.record;
    return b.record;
}

bool FlashCounterStore::store(const CounterRecord& record) {
    if (record.version.size() > 31) return false;
    Slot a = read_slot(0), b = read_slot(1);
    int newest = -1;
    uint32_t seq = 0;
    if (a.valid && (!b.valid || a.seq >= b.seq)) {
        newest = 0;
        seq = a.seq;
    } else if (b.valid) {
        newest = 1;
        seq = b.seq;
    }
    if (newest >= 0) {
        const CounterRecord& cur = newest == 0 ? a.record : b.record;
        if (record.counter < cur.counter) return false;
        if (record.counter == cur.counter && record.version == cur.version) return true;
    }
    int target = newest == 0 ? 1 : 0;
    uint8_t r[kRecordSize];
    std::memset(r, 0, sizeof r);
    put32(r, kMagic);
    put32(r + 4, seq + 1);
    put32(r + 8, uint32_t(record.counter));
    put32(r + 12, uint32_t(record.counter >> 32));
    std::memcpy(r + 16, record.version.data(), record.version.size());
    put32(r + 60, crc32(r, 60));
    uint32_t at = offset_ + uint32_t(target) * kFlashSectorSize;
    if (flash_.erase(at, kFlashSectorSize) != FlashStatus::Ok) return false;
    if (flash_.write(at, r, sizeof r) != FlashStatus::Ok) return false;
    return load().has_value() && load()->counter == record.counter;
}

}  // namespace secure_ota::ota
