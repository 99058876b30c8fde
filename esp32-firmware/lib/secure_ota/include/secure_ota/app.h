// A product firmware (V1 Base, V2 Promo, ...) as the runtime drives it. The runtime does
// the common work (boot report, provisioning, confirmation, commands); the app only owns its
// screens, its LED and its self-test.
#pragma once

#include <cstdint>
#include <string>

#include "secure_ota/app_descriptor.h"
#include "secure_ota/factory_data.h"
#include "secure_ota/lcd.h"
#include "secure_ota/led.h"
#include "secure_ota/telemetry.h"

namespace secure_ota {

struct AppContext {
    Lcd& lcd;
    Led& led;
    TelemetryWriter& telemetry;
    const AppDescriptor& self;        // this image's descriptor, as the bootloader verified it
    const FactoryData* factory_data;  // nullptr: unprovisioned
};

class App {
public:
    virtual ~App() = default;
    // Checks that the new firmware can do its job. Only when it passes does the runtime
    // confirm the image (mark valid); otherwise the bootloader rolls it back.
    virtual bool self_test(AppContext& ctx, std::string& failure) = 0;
    virtual void start(AppContext& ctx, uint32_t now_ms) = 0;
    virtual void loop(AppContext& ctx, uint32_t now_ms) = 0;
};

// The self-test's product check: the image must be for the product this device was made for (its
// factory data), as the update engine checked before activation; an unprovisioned board has only
// the build's own product to go by. The lab stamps the same program as another product (kiosk).
inline bool image_is_for_this_product(const AppContext& ctx, const std::string& build_product, std::string& failure) {
    const std::string& expected = ctx.factory_data ? ctx.factory_data->product : build_product;
    if (ctx.self.project_name != expected) {
        failure = "image is for project '" + ctx.self.project_name + "', not " + expected;
        return false;
    }
    return true;
}

// The language of the app's screens: the factory data's lcd_lang (French without it).
inline LcdLanguage lcd_language(const AppContext& ctx) { return secure_ota::lcd_language(ctx.factory_data); }

// Each app (apps/<name>/) defines this; the board's entry point calls it.
App& product_app();

}  // namespace secure_ota
