// V5 Panic, for the crash demo: a correctly signed, well-formed image whose firmware crashes at
// start. Its self-test asserts on a table the release forgot to include; the failed assertion
// calls abort(), and ESP-IDF's panic handler restarts the chip (reset reason panic) before the
// image could confirm itself or say that it is bad. The bootloader rolls it back as never
// confirmed (ABORTED); the previous app reads the panic in its reset reason and refuses 5.0.0
// from then on (docs/ota-verdicts.md, "Rollbacks").
#include <cstdlib>

#include "secure_ota/app.h"

namespace {

struct PriceTable {
    int rows;
};

// The release's bug: the table was left out of the build.
const PriceTable* price_table() { return nullptr; }

class V5Panic : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext& ctx, std::string&) override {
        const PriceTable* table = price_table();
        if (table == nullptr) {
            // What newlib's assert() prints on the chip before it aborts.
            ctx.telemetry.log("assert failed: self_test v5_panic.cpp (price_table() != NULL)");
            std::abort();
        }
        return table->rows > 0;
    }
    void start(secure_ota::AppContext&, uint32_t) override {}
    void loop(secure_ota::AppContext&, uint32_t) override {}
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V5Panic app;
    return app;
}
