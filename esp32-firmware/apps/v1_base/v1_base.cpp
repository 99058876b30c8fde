// V1 Base, the factory firmware: product name and version on the LCD, LED blinking at the
// base rate (1 Hz, 50 %).
#include "secure_ota/app.h"

namespace {

class V1Base : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string& failure) override {
        if (ctx.self.project_name != "shop-display") {
            failure = "image is for project '" + ctx.self.project_name + "', not shop-display";
            return false;
        }
        return true;
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
