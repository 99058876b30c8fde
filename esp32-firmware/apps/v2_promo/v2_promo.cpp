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
        if ((t / kScreenMs) % 2 == 1) {
            ctx.lcd.show("CAFÉ  2,40 €", "PROMO -20%");  // É and € come from CGRAM glyphs
            return;
        }
        static const std::string promo = "   *** PROMO DE LA SEMAINE *** ";
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
