// The highest accepted manifest counter in raw flash: two sectors used in turn, each holding
// one 64-byte record {magic "SOMC", seq, counter, version[32], crc32}. A store erases the
// sector that does not hold the newest record and writes there, so a power cut at any point
// leaves either the old or the new record readable, never neither. For boards that keep it
// in flash through the Flash interface (the host board); an ESP32 port may use NVS instead.
#pragma once

#include <cstdint>

#include "secure_ota/flash.h"
#include "secure_ota/ota/update_engine.h"

namespace secure_ota::ota {

class FlashCounterStore : public CounterStore {
public:
    static constexpr uint32_t kSize = 2 * kFlashSectorSize;
    static constexpr uint32_t kMagic = 0x434D4F53;  // "SOMC" little-endian
    static constexpr size_t kRecordSize = 64;

    // `offset` must be sector aligned, with kSize bytes reserved for this store.
    FlashCounterStore(Flash& flash, uint32_t offset) : flash_(flash), offset_(offset) {}

    std::optional<CounterRecord> load() override;
    // Refuses (false) a counter below the stored one: the value only ever grows.
    bool store(const CounterRecord& record) override;

private:
    struct Slot {
        bool valid = false;
        uint32_t seq = 0;
        CounterRecord record;
    };
    Slot read_slot(int index) const;

    Flash& flash_;
    uint32_t offset_;
};

}  // namespace secure_ota::ota
