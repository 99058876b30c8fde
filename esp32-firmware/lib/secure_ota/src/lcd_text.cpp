#include "secure_ota/lcd_text.h"

namespace secure_ota {
namespace {

struct Row {
    LcdText text;
    const char* fr;
    const char* en;
};

// docs/telemetry.md ("LCD texts") mirrors this table.
constexpr Row kRows[] = {
    {LcdText::FirmwareError, "ERREUR FIRMWARE", "FIRMWARE ERROR"},
    {LcdText::SelfTestFailed, "AUTOTEST ECHOUE", "SELF-TEST FAILED"},
    {LcdText::RollingBack, "RETOUR ARRIERE..", "ROLLBACK..."},
    {LcdText::NotProvisioned, "NON PROVISIONNE", "NOT PROVISIONED"},
    {LcdText::NoFactoryData, "DONNEES ABSENTES", "NO FACTORY DATA"},
    {LcdText::Update, "MISE A JOUR", "UPDATE"},
    {LcdText::Checking, "VERIFICATION...", "CHECKING..."},
    {LcdText::UpToDate, "A JOUR", "UP TO DATE"},
    {LcdText::UpdateOk, "MISE A JOUR OK", "UPDATE OK"},
    {LcdText::SecurityAlert, "ALERTE S\xC3\x89" "CURIT\xC3\x89", "SECURITY ALERT"},
};

}  // namespace

const char* to_string(LcdLanguage lang) { return lang == LcdLanguage::En ? "en" : "fr"; }

std::optional<LcdLanguage> lcd_language_from_string(const std::string& code) {
    if (code == "fr") return LcdLanguage::Fr;
    if (code == "en") return LcdLanguage::En;
    return std::nullopt;
}

const char* lcd_text(LcdText text, LcdLanguage lang) {
    for (const Row& r : kRows)
        if (r.text == text) return lang == LcdLanguage::En ? r.en : r.fr;
    return "";
}

}  // namespace secure_ota
