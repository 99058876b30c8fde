// The engine's events as H1's telemetry lines (docs/telemetry.md "ota") and LCD alert lines.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "secure_ota/ota/telemetry_observer.h"
#include "secure_ota/serial_port.h"

using namespace ota_test;

namespace {
class CaptureSerial : public SerialPort {
public:
    void write(const char* d, size_t n) override { out.append(d, n); }
    int read_byte() override { return -1; }
    std::vector<std::string> lines() const {
        std::vector<std::string> v;
        size_t at = 0, nl;
        while ((nl = out.find('\n', at)) != std::string::npos) {
            v.push_back(out.substr(at, nl - at));
            at = nl + 1;
        }
        return v;
    }
    std::string out;
};
}  // namespace

class TelemetryObserverTest : public EngineTest {};

TEST_F(TelemetryObserverTest, PhasesProgressAndOneVerdict) {
    CaptureSerial serial;
    TelemetryWriter t(serial);
    TelemetryUpdateObserver obs(t);
    extra_observer = &obs;
    UpdateResult r = update();
    send_verdict(t, r);
    ASSERT_EQ(r.outcome.verdict, Verdict::Updated) << r.outcome.detail;
    std::vector<std::string> phases;
    int verdicts = 0, downloads = 0;
    for (const std::string& l : serial.lines()) {
        if (l.rfind("@ota1 {\"ev\":\"ota\"", 0) != 0) continue;
        size_t p = l.find("\"phase\":\"") + 9;
        std::string ph = l.substr(p, l.find('"', p) - p);
        if (ph == "verdict") {
            ++verdicts;
            EXPECT_NE(l.find("\"code\":\"UPDATED\""), std::string::npos) << l;
            EXPECT_NE(l.find("\"version\":\"2.0.0\""), std::string::npos) << l;
        } else if (ph == "download") {
            ++downloads;
        }
        if (phases.empty() || phases.back() != ph) phases.push_back(ph);
    }
    EXPECT_EQ(verdicts, 1);
    EXPECT_GE(downloads, 2);
    EXPECT_LE(downloads, int(server.image.size() / 4096) + 2) << "at most every 4 KiB";
    EXPECT_EQ(phases, (std::vector<std::string>{"connect", "manifest", "download", "verify", "activate", "verdict"}));
}

TEST_F(TelemetryObserverTest, RefusalVerdictAndLcd) {
    CaptureSerial serial;
    TelemetryWriter t(serial);
    server.flip_byte = 5000;
    UpdateResult r = update();
    send_verdict(t, r);
    EXPECT_NE(serial.out.find("\"code\":\"HASH_MISMATCH\""), std::string::npos) << serial.out;
    LcdAlert a = lcd_lines(r);
    EXPECT_EQ(a.line1, "ALERTE S\xC3\x89" "CURIT\xC3\x89");
    EXPECT_EQ(a.line2, "HASH INVALID");
    LcdAlert en = lcd_lines(r, secure_ota::LcdLanguage::En);
    EXPECT_EQ(en.line1, "SECURITY ALERT");
    EXPECT_EQ(en.line2, "HASH INVALID");

    key.reset();
    CaptureSerial s2;
    TelemetryWriter t2(s2);
    r = update();
    send_verdict(t2, r);
    EXPECT_NE(s2.out.find("\"code\":\"NOT_PROVISIONED\""), std::string::npos);
    EXPECT_NE(s2.out.find("\"version\":null"), std::string::npos) << s2.out;
    EXPECT_EQ(lcd_lines(r).line1, "MISE A JOUR");
    EXPECT_EQ(lcd_lines(r, secure_ota::LcdLanguage::En).line1, "UPDATE");
    EXPECT_EQ(lcd_lines(r, secure_ota::LcdLanguage::En).line2, "NOT PROVISIONED");
}
