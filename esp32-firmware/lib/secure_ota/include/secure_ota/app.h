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

// Each app (apps/<name>/) defines this; the board's entry point calls it.
App& product_app();

}  // namespace secure_ota
