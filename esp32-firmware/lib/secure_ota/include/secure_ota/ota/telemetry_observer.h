// Bridges the update engine to H1's serial telemetry (docs/telemetry.md, "ota" events):
//   {"ev":"ota","phase":P,"bytes":N,"total":T}  P in connect|manifest|download|verify|activate
//   {"ev":"ota","phase":"verdict","code":C,"detail":D,"version":V}   exactly one per attempt
//   {"ev":"image_transport","version":V,"encrypted":B,"scheme":S,"key_id":K,"decrypted":B}
//                                     before the verdict, when the attempt requested the image
// and to the LCD: a security refusal shows "ALERTE SÉCURITÉ" / lcd_alert(code).
#pragma once

#include <string>

#include "secure_ota/ota/update_engine.h"
#include "secure_ota/telemetry.h"

namespace secure_ota::ota {

// The telemetry phase name of an engine phase ("" for phases that send no event).
const char* telemetry_phase(UpdatePhase p);

class TelemetryUpdateObserver : public UpdateObserver {
public:
    explicit TelemetryUpdateObserver(TelemetryWriter& telemetry) : t_(telemetry) {}
    void on_phase(UpdatePhase p) override;
    void on_progress(uint32_t bytes_done, uint32_t bytes_total) override;
    void on_resume(uint32_t offset, uint32_t attempt) override;
    void on_connected(const char* purpose, bool resumed) override;

private:
    TelemetryWriter& t_;
    std::string last_phase_;
    uint32_t bytes_ = 0;
    uint32_t total_ = 0;
};

// The one verdict line of an attempt (version = offered version, null when none was learned).
void send_verdict(TelemetryWriter& telemetry, const UpdateResult& result);

// The "image_transport" line of an attempt that requested image bytes (encrypted or plaintext,
// decrypted or not); nothing when no image was requested. Returns whether it sent one.
bool send_image_transport(TelemetryWriter& telemetry, const UpdateResult& result);

// The two LCD lines for a result: {"ALERTE SÉCURITÉ", "HASH INVALID"} for security refusals,
// {"MISE A JOUR", "ECHEC: <alert>"} for other failures, {"MISE A JOUR OK", version} on UPDATED,
// {"", ""} for NO_UPDATE (leave the screen alone); in the board's LCD language (English: "SECURITY
// ALERT", "UPDATE", "UPDATE OK"). UTF-8; the app maps É to its CGRAM glyph.
struct LcdAlert {
    std::string line1;
    std::string line2;
};
LcdAlert lcd_lines(const UpdateResult& result, LcdLanguage lang = LcdLanguage::Fr);

}  // namespace secure_ota::ota
