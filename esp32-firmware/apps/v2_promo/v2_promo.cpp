// V2 Promo: a new LCD interface (a promotional line scrolling across the top row,
// alternating with a price screen) and a faster LED (2 Hz).
#include <string>

#include "secure_ota/app.h"

namespace {

constexpr uint32_t kScrollStepMs = 400;
constexpr uint32_t kScreenMs = 8000;  // promo, then price, then promo...

class V2Promo : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string& failure) override {
        return secure_ota::image_is_for_this_product(ctx, "shop-display", failure);
    }
    void start(secure_ota::AppContext& ctx, uint32_t now) override {
        start_ = now;
        ctx.led.set(secure_ota::LedPattern::blink(500, 50));
        render(ctx, now);
    }
    void loop(secure_ota::AppContext& ctx, uint32_t now) override { render(ctx, now); }

private:
    void render(secure_ota::AppContext& ctx, uint32_t now) {
        uint32_t t = now - start_;
        const bool english = secure_ota::lcd_language(ctx) == secure_ota::LcdLanguage::En;
        if ((t / kScreenMs) % 2 == 1) {
            // French: É and € come from CGRAM glyphs; the English screen needs none.
            ctx.lcd.show(english ? "COFFEE  EUR 2.40" : "CAFÉ  2,40 €", "PROMO -20%");
            return;
        }
        static const std::string promo_fr = "   *** PROMO DE LA SEMAINE *** ";
        static const std::string promo_en = "   *** THIS WEEK'S DEAL *** ";
        const std::string& promo = english ? promo_en : promo_fr;
        size_t off = (t / kScrollStepMs) % promo.size();
        std::string window = (promo + promo).substr(off, 16);
        ctx.lcd.show(window, "V2 PROMO v" + ctx.self.version);
    }
    uint32_t start_ = 0;
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V2Promo app;
    return app;
}
