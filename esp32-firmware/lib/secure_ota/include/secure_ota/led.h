// The status LED as a pattern, not as toggles: telemetry reports "blink 1000 ms at 50 %" or
// "strobe" once, and each board's driver turns the pattern into GPIO levels in its loop.
#pragma once

#include <cstdint>
#include <functional>

namespace secure_ota {

struct LedPattern {
    enum class Mode : uint8_t { Off, On, Blink, Strobe };

    Mode mode = Mode::Off;
    uint32_t period_ms = 0;    // Blink, Strobe: length of one cycle
    uint8_t duty_percent = 0;  // Blink: share of the period the LED is on
    uint8_t flashes = 0;       // Strobe: short flashes at the start of each period
    uint16_t flash_ms = 0;     // Strobe: length of one flash (and of the gap after it)

    static LedPattern off() { return {}; }
    static LedPattern on() { return {Mode::On, 0, 100, 0, 0}; }
    static LedPattern blink(uint32_t period_ms, uint8_t duty) { return {Mode::Blink, period_ms, duty, 0, 0}; }
    static LedPattern strobe(uint32_t period_ms, uint8_t flashes, uint16_t flash_ms) {
        return {Mode::Strobe, period_ms, 0, flashes, flash_ms};
    }

    bool level_at(uint32_t now_ms) const;
    bool operator==(const LedPattern& o) const {
        return mode == o.mode && period_ms == o.period_ms && duty_percent == o.duty_percent &&
               flashes == o.flashes && flash_ms == o.flash_ms;
    }
    bool operator!=(const LedPattern& o) const { return !(*this == o); }
};

const char* to_string(LedPattern::Mode mode);

class LedDriver {
public:
    virtual ~LedDriver() = default;
    virtual void set_level(bool on) = 0;
};

class NullLedDriver : public LedDriver {
public:
    void set_level(bool) override {}
};

class Led {
public:
    using Observer = std::function<void(const LedPattern&)>;
    explicit Led(LedDriver& driver) : driver_(driver) {}
    void set_observer(Observer o) { observer_ = std::move(o); }
    void set(const LedPattern& pattern);  // observers hear of changes only
    const LedPattern& pattern() const { return pattern_; }
    void tick(uint32_t now_ms);           // drives the GPIO; call from the main loop

private:
    LedDriver& driver_;
    Observer observer_;
    LedPattern pattern_;
    bool level_ = false;
    bool level_known_ = false;
};

}  // namespace secure_ota
