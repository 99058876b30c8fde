// Telemetry lines and commands (docs/telemetry.md).
#include <gtest/gtest.h>

#include "secure_ota/telemetry.h"

using namespace secure_ota;

namespace {
struct FakeSerial : SerialPort {
    std::string out, in;
    size_t pos = 0;
    void write(const char* d, size_t n) override { out.append(d, n); }
    int read_byte() override { return pos < in.size() ? static_cast<unsigned char>(in[pos++]) : -1; }
};
}  // namespace

TEST(Telemetry, MachineLinesHavePrefixVersionAndOneJsonObject) {
    FakeSerial s;
    TelemetryWriter t(s);
    t.led(LedPattern::blink(1000, 50));
    EXPECT_EQ(s.out, "@ota1 {\"ev\":\"led\",\"mode\":\"blink\",\"period_ms\":1000,\"duty\":50}\n");
}

TEST(Telemetry, StringsAreEscaped) {
    FakeSerial s;
    TelemetryWriter t(s);
    t.error("X", "quote \" backslash \\ newline \n tab \t bell \x07");
    EXPECT_EQ(s.out,
              "@ota1 {\"ev\":\"error\",\"code\":\"X\",\"message\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell "
              "\\u0007\"}\n");
}

TEST(Telemetry, ImageTransportSaysEncryptedOrPlaintextAndDecryptedOrNot) {
    FakeSerial s;
    TelemetryWriter t(s);
    t.image_transport("2.0.0", true, "ecies-p256", "0123456789abcdef", true);
    t.image_transport("2.0.0", false, "", "", false);
    EXPECT_EQ(s.out,
              "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":true,\"scheme\":\"ecies-p256\","
              "\"key_id\":\"0123456789abcdef\",\"decrypted\":true}\n"
              "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":false,\"scheme\":null,"
              "\"key_id\":null,\"decrypted\":false}\n");
}

TEST(Telemetry, LcdEventCarriesRowsCellsAndGlyphs) {
    FakeSerial s;
    TelemetryWriter t(s);
    NullLcdDriver drv;
    Lcd lcd(drv);
    lcd.show("ALERTE SÉCURITÉ", "HASH INVALID");
    t.lcd(lcd);
    EXPECT_NE(s.out.find("\"rows\":[\"ALERTE SÉCURITÉ \",\"HASH INVALID    \"]"), std::string::npos) << s.out;
    EXPECT_NE(s.out.find("\"cgram\":[{\"code\":0,\"char\":\"É\",\"bitmap\":[2,4,31,16,30,16,31,0]}]"),
              std::string::npos)
        << s.out;
    EXPECT_NE(s.out.find("[65,76,69,82,84,69,32,83,0,67,85,82,73,84,0,32]"), std::string::npos) << s.out;
}

TEST(Telemetry, HumanLogNeverLooksLikeAnEvent) {
    FakeSerial s;
    TelemetryWriter t(s);
    t.log("@ota1 {\"ev\":\"boot\"}");
    EXPECT_EQ(s.out.rfind("@ota", 0), std::string::npos);
}

TEST(Telemetry, CommandsAreParsed) {
    std::string name;
    EXPECT_EQ(parse_command("@ota1 {\"cmd\":\"check\"}", name), TelemetryCommand::Check);
    EXPECT_EQ(parse_command("@ota1 { \"cmd\" : \"reboot\" }", name), TelemetryCommand::Reboot);
    EXPECT_EQ(parse_command("@ota1 {\"cmd\":\"status\",\"id\":7}", name), TelemetryCommand::Status);
    EXPECT_EQ(parse_command("@ota1 {\"cmd\":\"format\"}", name), TelemetryCommand::Unknown);
    EXPECT_EQ(name, "format");
    EXPECT_EQ(parse_command("@ota2 {\"cmd\":\"check\"}", name), TelemetryCommand::None) << "other protocol version";
    EXPECT_EQ(parse_command("hello", name), TelemetryCommand::None);
    EXPECT_EQ(parse_command("@ota1 {\"x\":1}", name), TelemetryCommand::Unknown);
}

TEST(LineReader, SplitsLinesAndDropsOverlongOnes) {
    FakeSerial s;
    s.in = "@ota1 {\"cmd\":\"status\"}\r\n" + std::string(600, 'x') + "\nok\n";
    LineReader r;
    std::string line;
    ASSERT_TRUE(r.poll(s, line));
    EXPECT_EQ(line, "@ota1 {\"cmd\":\"status\"}");
    ASSERT_TRUE(r.poll(s, line));
    EXPECT_EQ(line, "ok");
    EXPECT_FALSE(r.poll(s, line));
}


TEST(Telemetry, TlsSessionLineSaysWhatForAndWhetherItResumed) {
    FakeSerial s;
    TelemetryWriter t(s);
    t.tls_session("image", true);
    t.tls_session("manifest", false);
    EXPECT_EQ(s.out, "@ota1 {\"ev\":\"tls\",\"for\":\"image\",\"resumed\":true}\n"
                     "@ota1 {\"ev\":\"tls\",\"for\":\"manifest\",\"resumed\":false}\n");
}
