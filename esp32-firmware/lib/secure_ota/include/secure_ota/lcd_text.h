// The firmware's own LCD texts in French and in English: the status screens of the runtime and
// of the update agent (the verdicts' alert lines are in verdict.cpp's table, the apps' screens in
// each app). The language is the factory data's lcd_lang; a board without it, or without factory
// data at all, speaks French, the seed product's language. docs/telemetry.md lists both.
#pragma once

#include <optional>
#include <string>

namespace secure_ota {

enum class LcdLanguage { Fr, En };

// "fr" / "en", as the factory data's lcd_lang field writes them.
const char* to_string(LcdLanguage lang);
// nullopt for anything but "fr" or "en".
std::optional<LcdLanguage> lcd_language_from_string(const std::string& code);

enum class LcdText {
    FirmwareError,   // row 0 of a fatal start error (row 1: the error code)
    SelfTestFailed,  // a new image failed its self-test...
    RollingBack,     // ...and the board restarts to the previous one
    NotProvisioned,  // no (valid) factory data...
    NoFactoryData,   // ...so updates are disabled
    Update,          // row 0 while checking, and of a refusal that is not an attack
    Checking,        // row 1 while the update agent runs
    UpToDate,        // the server had nothing newer (row 1: the running version)
    UpdateOk,        // the new image is in (row 1: -> version)
    SecurityAlert,   // row 0 of a security refusal (row 1: the verdict's alert line)
};

// At most 16 columns; UTF-8 (the French "ALERTE SÉCURITÉ" uses the LCD's CGRAM glyph for É).
const char* lcd_text(LcdText text, LcdLanguage lang);

}  // namespace secure_ota
