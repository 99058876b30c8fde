// Power-cut injection, after ESP-IDF's esp_partition_fail_after and MCUboot's simulator:
// every erase (per sector) and every write is one numbered operation. When armed with
// fail_after = N, operations 1..N complete and operation N+1 is cut, either before it
// touches flash or halfway through it. From then on the chip is dead until power returns.
#pragma once

#include <functional>

#include "secure_ota/flash.h"

namespace secure_ota {

enum class CutPoint : uint32_t { Before = 0, Halfway = 1 };

// Plain data on purpose: the host board keeps it in shared memory so that the count runs on
// across the bootloader and the app, which are different processes.
struct FlashOpCounter {
    static constexpr uint32_t kDisarmed = 0xFFFFFFFFu;
    uint32_t completed = 0;              // operations that finished since arming/reset
    uint32_t fail_after = kDisarmed;     // N; kDisarmed = never cut
    uint32_t cut_point = 0;              // CutPoint
    uint32_t tripped = 0;                // 1 once the cut happened
    uint32_t tripped_at = 0;             // number of the cut operation (N + 1)
};

class PowerCutFlash : public Flash {
public:
    // `on_cut` runs right after the (partial) operation: the host board kills its process
    // there, so nothing after the cut can reach flash; tests just observe PowerLost.
    PowerCutFlash(Flash& inner, FlashOpCounter& counter, std::function<void()> on_cut = {});

    uint32_t size() const override { return inner_.size(); }
    FlashStatus read(uint32_t address, void* out, size_t length) const override;
    FlashStatus write(uint32_t address, const void* data, size_t length) override;
    FlashStatus erase(uint32_t address, size_t length) override;

    static void arm(FlashOpCounter& counter, uint32_t fail_after, CutPoint point);
    static void disarm(FlashOpCounter& counter);

private:
    // True when this operation is the one to cut.
    bool cut_due() const;
    FlashStatus cut();

    Flash& inner_;
    FlashOpCounter& counter_;
    std::function<void()> on_cut_;
};

}  // namespace secure_ota
