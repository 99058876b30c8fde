// V3 Liquidation: new business logic. Every article is marked down by a rate that grows
// each hour of the sale; screens alternate between the rate and a countdown, and the LED
// strobes to draw the eye.
#include <cstdio>
#include <string>

#include "secure_ota/app.h"

namespace {

constexpr uint32_t kScreenMs = 3000;
constexpr uint32_t kHourMs = 3600u * 1000u;
constexpr int kStartRate = 50, kRateStep = 10, kMaxRate = 90;

class V3Liquid : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string& failure) override {
        if (!secure_ota::image_is_for_this_product(ctx, "shop-display", failure)) {
            return false;
        }
        if (markdown_rate(0) != kStartRate || markdown_rate(100 * kHourMs) != kMaxRate) {
            failure = "markdown table inconsistent";
            return false;
        }
        return true;
    }
    void start(secure_ota::AppContext& ctx, uint32_t now) override {
        start_ = now;
        ctx.led.set(secure_ota::LedPattern::strobe(1000, 3, 60));
        render(ctx, now);
    }
    void loop(secure_ota::AppContext& ctx, uint32_t now) override { render(ctx, now); }

    static int markdown_rate(uint32_t elapsed_ms) {
        int rate = kStartRate + kRateStep * static_cast<int>(elapsed_ms / kHourMs);
        return rate > kMaxRate ? kMaxRate : rate;
    }

private:
    void render(secure_ota::AppContext& ctx, uint32_t now) {
        uint32_t t = now - start_;
        const bool english = secure_ota::lcd_language(ctx) == secure_ota::LcdLanguage::En;
        char line[24];
        // "LIQUIDATION" on row 0 in both languages (a clearance sale in English too; the scripts look for it).
        if ((t / kScreenMs) % 2 == 0) {
            std::snprintf(line, sizeof line, english ? "ALL AT -%d%%" : "TOUT À -%d%%", markdown_rate(t));
            ctx.lcd.show("LIQUIDATION", line);
        } else {
            uint32_t left_min = 59 - (t / 60000) % 60;
            std::snprintf(line, sizeof line, english ? "NEXT STEP IN %2um" : "PALIER DANS %2umn", unsigned(left_min));
            ctx.lcd.show("V3 LIQUIDATION", line);
        }
    }
    uint32_t start_ = 0;
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V3Liquid app;
    return app;
}
