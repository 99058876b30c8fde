// V1 Base, the factory firmware: product name and version on the LCD, LED blinking at the
// base rate (1 Hz, 50 %).
#include "secure_ota/app.h"

namespace {

class V1Base : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string& failure) override {
        return secure_ota::image_is_for_this_product(ctx, "shop-display", failure);
    }
    void start(secure_ota::AppContext& ctx, uint32_t) override {
        ctx.lcd.show("SHOP-DISPLAY", "V1 BASE  v" + ctx.self.version);
        ctx.led.set(secure_ota::LedPattern::blink(1000, 50));
    }
    void loop(secure_ota::AppContext&, uint32_t) override {}
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V1Base app;
    return app;
}
