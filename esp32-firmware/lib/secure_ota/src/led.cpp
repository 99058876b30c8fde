#include "secure_ota/led.h"

namespace secure_ota {

const char* to_string(LedPattern::Mode mode) {
    switch (mode) {
        case LedPattern::Mode::Off: return "off";
        case LedPattern::Mode::On: return "on";
        case LedPattern::Mode::Blink: return "blink";
        case LedPattern::Mode::Strobe: return "strobe";
    }
    return "off";
}

bool LedPattern::level_at(uint32_t now_ms) const {
    switch (mode) {
        case Mode::Off: return false;
        case Mode::On: return true;
        case Mode::Blink:
            return period_ms > 0 && (now_ms % period_ms) * 100 < uint64_t(period_ms) * duty_percent;
        case Mode::Strobe: {
            if (period_ms == 0 || flash_ms == 0) return false;
            uint32_t t = now_ms % period_ms;
            uint32_t slot = t / flash_ms;  // even slots on, odd slots off
            return slot < 2u * flashes && slot % 2 == 0;
        }
    }
    return false;
}

void Led::set(const LedPattern& pattern) {
    if (pattern == pattern_) return;
    pattern_ = pattern;
    if (observer_) observer_(pattern_);
}

void Led::tick(uint32_t now_ms) {
    bool level = pattern_.level_at(now_ms);
    if (!level_known_ || level != level_) driver_.set_level(level);
    level_ = level;
    level_known_ = true;
}

}  // namespace secure_ota
