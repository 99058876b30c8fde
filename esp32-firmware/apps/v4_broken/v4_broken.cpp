// V4 Broken, for the rollback demo: a correctly signed, well-formed image whose firmware
// is faulty. It boots, its self-test fails (the display it expects is not the one fitted),
// so it never confirms itself and the bootloader goes back to the previous version.
#include "secure_ota/app.h"

namespace {

class V4Broken : public secure_ota::App {
public:
    bool self_test(secure_ota::AppContext&, std::string& failure) override {
        failure = "display controller check failed: expected a 20x4 LCD, found 16x2";
        return false;
    }
    void start(secure_ota::AppContext&, uint32_t) override {}
    void loop(secure_ota::AppContext&, uint32_t) override {}
};

}  // namespace

secure_ota::App& secure_ota::product_app() {
    static V4Broken app;
    return app;
}
