#include "secure_ota/ota/telemetry_observer.h"

namespace secure_ota::ota {

const char* telemetry_phase(UpdatePhase p) {
    switch (p) {
        case UpdatePhase::CheckingTime:
        case UpdatePhase::Connecting: return "connect";
        case UpdatePhase::FetchingManifest:
        case UpdatePhase::VerifyingManifest: return "manifest";
        case UpdatePhase::Downloading: return "download";
        case UpdatePhase::VerifyingImage: return "verify";
        case UpdatePhase::Activating: return "activate";
        case UpdatePhase::Done: return "";
    }
    return "";
}

void TelemetryUpdateObserver::on_phase(UpdatePhase p) {
    std::string name = telemetry_phase(p);
    if (name.empty() || name == last_phase_) return;  // one event per phase change
    last_phase_ = name;
    t_.ota_progress(name, bytes_, total_);
}

void TelemetryUpdateObserver::on_progress(uint32_t done, uint32_t total) {
    bytes_ = done;
    total_ = total;
    t_.ota_progress("download", done, total);  // the engine already throttles (>= 4 KiB steps)
}

void TelemetryUpdateObserver::on_resume(uint32_t offset, uint32_t attempt) {
    bytes_ = offset;
    t_.log("OTA: connection lost, resuming at byte " + std::to_string(offset) + " (attempt " + std::to_string(attempt) + ")");
}

void TelemetryUpdateObserver::on_connected(const char* purpose, bool resumed) { t_.tls_session(purpose, resumed); }

void send_verdict(TelemetryWriter& t, const UpdateResult& r) {
    t.ota_verdict(to_string(r.outcome.verdict), r.outcome.detail.empty() ? reason(r.outcome.verdict) : r.outcome.detail,
                  r.manifest ? r.manifest->version : std::string());
}

bool send_image_transport(TelemetryWriter& t, const UpdateResult& r) {
    if (!r.manifest || r.image_requests == 0) return false;
    const Manifest& m = *r.manifest;
    t.image_transport(m.version, m.encrypted, m.encrypted ? m.encryption_scheme : std::string(),
                      m.encrypted ? m.encryption_key_id : std::string(), m.encrypted && r.image_decrypted);
    return true;
}

LcdAlert lcd_lines(const UpdateResult& r, LcdLanguage lang) {
    Verdict v = r.outcome.verdict;
    if (v == Verdict::NoUpdate) return {"", ""};
    if (v == Verdict::Updated) return {lcd_text(LcdText::UpdateOk, lang), r.manifest ? "-> " + r.manifest->version : ""};
    if (is_security_refusal(v)) return {lcd_text(LcdText::SecurityAlert, lang), lcd_alert(v, lang)};
    return {lcd_text(LcdText::Update, lang), lcd_alert(v, lang)};
}

}  // namespace secure_ota::ota
