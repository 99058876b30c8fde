// V6 Hang, for the watchdog demo: a correctly signed, well-formed image whose firmware hangs at
// start. Its self-test waits for a display controller's busy flag that never clears, without a
// timeout. The runtime watches the app's start with the task watchdog, which resets the chip
// (reset reason task_wdt) before the image could confirm itself; the bootloader rolls it back as
// never confirmed (ABORTED), and the previous app refuses 6.0.0 from then on
// (docs/ota-verdicts.md, "Rollbacks").
#include "secure_ota/app.h"

namespace {

// The release's bug: it polls a controller that this board does not have; the flag reads busy
// for ever. Volatile: a register read, which the compiler may not fold away.
volatile bool g_display_busy = true;

class V6Hang : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string&) override {
        ctx.telemetry.log("self-test: waiting for the display controller");
        while (g_display_busy) {
        }
        return true;
    }
    void start(secure_ota::AppContext&, uint32_t) override {}
    void loop(secure_ota::AppContext&, uint32_t) override {}
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V6Hang app;
    return app;
}
