#include "secure_ota/telemetry.h"

#include <cstdio>

namespace secure_ota {

const char* to_string(ResetReason r) {
    switch (r) {
        case ResetReason::PowerOn: return "poweron";
        case ResetReason::External: return "ext";
        case ResetReason::Software: return "sw";
        case ResetReason::Panic: return "panic";
        case ResetReason::TaskWatchdog: return "task_wdt";
        case ResetReason::Brownout: return "brownout";
        case ResetReason::Unknown: return "unknown";
    }
    return "unknown";
}

ResetReason parse_reset_reason(const std::string& s) {
    for (ResetReason r : {ResetReason::PowerOn, ResetReason::External, ResetReason::Software, ResetReason::Panic,
                          ResetReason::TaskWatchdog, ResetReason::Brownout})
        if (s == to_string(r)) return r;
    return ResetReason::Unknown;
}

void TelemetryWriter::line(const std::string& s) {
    std::string l = s + "\n";
    port_.write(l.data(), l.size());
}

void TelemetryWriter::log(const std::string& text) {
    // A log line that happened to start with the prefix would be parsed as an event.
    if (text.compare(0, 4, kTelemetryPrefix) == 0) line(" " + text);
    else line(text);
}

void TelemetryWriter::event(const JsonWriter& object) {
    line(std::string(kTelemetryPrefix) + std::to_string(kTelemetryVersion) + " " + object.text());
}

namespace {
void app_fields(JsonWriter& j, const AppDescriptor& d) {
    j.str("version", d.version).num("secure_version", d.secure_version).str("project", d.project_name);
}
}  // namespace

void TelemetryWriter::boot(const BootReport& b) {
    JsonWriter j;
    j.begin_object().str("ev", "boot").str("slot", b.slot).str("label", b.label);
    app_fields(j, b.app);
    j.str("reset_reason", to_string(b.reset_reason))
        .str("state", to_string(b.state))
        .num("min_secure_version", b.min_secure_version)
        .boolean("provisioned", b.provisioned);
    if (b.provisioned) j.str("device_id", b.device_id);
    else j.null("device_id");
    j.boolean("status_report", b.status_report);
    j.str("profile", b.profile);
    if (!b.missing_defences.empty()) j.str("missing_defences", b.missing_defences);
    event(j.end_object());
}

void TelemetryWriter::partitions(const PartitionTable& table, const OtaDataPair& otadata,
                                 const std::vector<SlotReport>& slots) {
    JsonWriter j;
    j.begin_object().str("ev", "partitions").begin_array("table");
    for (const auto& e : table.entries()) {
        j.begin_object()
            .str("label", e.label)
            .num("type", e.type)
            .num("subtype", e.subtype)
            .str("kind", e.type_name() + "/" + e.subtype_name())
            .num("offset", e.offset)
            .num("size", e.size)
            .end_object();
    }
    j.end_array().begin_array("otadata");
    for (const auto& o : otadata) {
        j.begin_object();
        if (o.ota_seq == OtaDataEntry::kBlankSeq) j.null("seq");
        else j.num("seq", o.ota_seq);
        j.str("state", to_string(o.ota_state)).boolean("crc_ok", o.crc_ok()).boolean("valid", o.is_valid());
        j.end_object();
    }
    j.end_array().begin_array("slots");
    for (const auto& s : slots) {
        j.begin_object()
            .str("label", s.partition.label)
            .str("slot", s.partition.subtype_name())
            .num("offset", s.partition.offset)
            .num("size", s.partition.size)
            .str("state", to_string(s.state))
            .boolean("running", s.running)
            .boolean("next_boot", s.next_boot);
        j.key("image").begin_object().boolean("valid", s.image_valid);
        if (s.image_valid) app_fields(j, s.descriptor);
        else j.str("error", s.image_error);
        j.end_object().end_object();
    }
    event(j.end_array().end_object());
}

void TelemetryWriter::lcd(const Lcd& lcd) {
    JsonWriter j;
    j.begin_object().str("ev", "lcd").begin_array("rows");
    for (int r = 0; r < kLcdRows; ++r) j.str(lcd.row_text(r));
    j.end_array().begin_array("cells");
    for (int r = 0; r < kLcdRows; ++r) {
        j.begin_array();
        for (uint8_t c : lcd.cells(r)) j.num(c);
        j.end_array();
    }
    j.end_array().begin_array("cgram");
    for (const auto& g : lcd.glyphs()) {
        j.begin_object().num("code", g.code).str("char", utf8_encode(g.character)).begin_array("bitmap");
        for (uint8_t row : g.bitmap) j.num(row);
        j.end_array().end_object();
    }
    event(j.end_array().end_object());
}

void TelemetryWriter::led(const LedPattern& p) {
    JsonWriter j;
    j.begin_object().str("ev", "led").str("mode", to_string(p.mode));
    if (p.mode == LedPattern::Mode::Blink) j.num("period_ms", p.period_ms).num("duty", p.duty_percent);
    if (p.mode == LedPattern::Mode::Strobe)
        j.num("period_ms", p.period_ms).num("flashes", p.flashes).num("flash_ms", p.flash_ms);
    event(j.end_object());
}

void TelemetryWriter::selftest(bool passed, const std::string& detail) {
    JsonWriter j;
    event(j.begin_object().str("ev", "selftest").boolean("passed", passed).str("detail", detail).end_object());
}

void TelemetryWriter::app_state(const std::string& slot, OtaImgState state) {
    JsonWriter j;
    event(j.begin_object().str("ev", "app_state").str("slot", slot).str("state", to_string(state)).end_object());
}

void TelemetryWriter::error(const std::string& code, const std::string& message) {
    JsonWriter j;
    event(j.begin_object().str("ev", "error").str("code", code).str("message", message).end_object());
}

void TelemetryWriter::heartbeat(uint32_t uptime_ms, const std::string& version, OtaImgState state) {
    JsonWriter j;
    event(j.begin_object()
              .str("ev", "heartbeat")
              .num("uptime_ms", uptime_ms)
              .str("version", version)
              .str("state", to_string(state))
              .end_object());
}

void TelemetryWriter::ack(const std::string& cmd) {
    JsonWriter j;
    event(j.begin_object().str("ev", "ack").str("cmd", cmd).end_object());
}

void TelemetryWriter::ota_progress(const std::string& phase, uint32_t bytes, uint32_t total) {
    JsonWriter j;
    event(j.begin_object()
              .str("ev", "ota")
              .str("phase", phase)
              .num("bytes", bytes)
              .num("total", total)
              .end_object());
}

void TelemetryWriter::tls_session(const std::string& purpose, bool resumed) {
    JsonWriter j;
    event(j.begin_object().str("ev", "tls").str("for", purpose).boolean("resumed", resumed).end_object());
}

void TelemetryWriter::ota_verdict(const std::string& code, const std::string& detail, const std::string& version) {
    JsonWriter j;
    j.begin_object().str("ev", "ota").str("phase", "verdict").str("code", code).str("detail", detail);
    if (version.empty()) j.null("version");
    else j.str("version", version);
    event(j.end_object());
}

void TelemetryWriter::image_transport(const std::string& version, bool encrypted, const std::string& scheme,
                                      const std::string& key_id, bool decrypted) {
    JsonWriter j;
    j.begin_object().str("ev", "image_transport").str("version", version).boolean("encrypted", encrypted);
    if (scheme.empty()) j.null("scheme");
    else j.str("scheme", scheme);
    if (key_id.empty()) j.null("key_id");
    else j.str("key_id", key_id);
    event(j.boolean("decrypted", decrypted).end_object());
}

TelemetryCommand parse_command(const std::string& line, std::string& name) {
    const std::string prefix = std::string(kTelemetryPrefix) + std::to_string(kTelemetryVersion) + " ";
    name.clear();
    if (line.compare(0, prefix.size(), prefix) != 0) return TelemetryCommand::None;
    // Commands are flat objects; a full JSON parser would be more attack surface than the
    // one string field we need. Find "cmd", then its string value.
    size_t k = line.find("\"cmd\"", prefix.size());
    if (k == std::string::npos) return TelemetryCommand::Unknown;
    size_t colon = line.find_first_not_of(" \t", k + 5);
    if (colon == std::string::npos || line[colon] != ':') return TelemetryCommand::Unknown;
    size_t q1 = line.find_first_not_of(" \t", colon + 1);
    if (q1 == std::string::npos || line[q1] != '"') return TelemetryCommand::Unknown;
    size_t q2 = line.find('"', q1 + 1);
    if (q2 == std::string::npos) return TelemetryCommand::Unknown;
    name = line.substr(q1 + 1, q2 - q1 - 1);
    if (name == "check") return TelemetryCommand::Check;
    if (name == "reboot") return TelemetryCommand::Reboot;
    if (name == "status") return TelemetryCommand::Status;
    return TelemetryCommand::Unknown;
}

}  // namespace secure_ota
