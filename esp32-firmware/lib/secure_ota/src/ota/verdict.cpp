#include "secure_ota/ota/verdict.h"

namespace secure_ota::ota {

namespace {
struct Row {
    Verdict v;
    const char* code;
    const char* reason;
    const char* lcd;     // French
    const char* lcd_en;  // English
    bool security;
};

// The one table behind every lookup; docs/telemetry.md mirrors it.
constexpr Row kRows[] = {
    {Verdict::Updated, "UPDATED", "the new image was verified and will boot next", "", "", false},
    {Verdict::NoUpdate, "NO_UPDATE", "the server has no newer release for this device", "", "", false},
    {Verdict::NotProvisioned, "NOT_PROVISIONED", "factory data (CA, signing key, server URL, API key) is missing or invalid", "NON PROVISIONNE", "NOT PROVISIONED", false},
    {Verdict::NoValidTime, "NO_VALID_TIME", "the device has no valid time (SNTP not synchronised), so certificates and expiry cannot be checked", "HEURE INVALIDE", "NO VALID TIME", false},
    {Verdict::AppNotConfirmed, "APP_NOT_CONFIRMED", "the running app has not confirmed itself yet; updating now would break rollback", "APP NON VALIDEE", "APP UNCONFIRMED", false},
    {Verdict::TlsCertUntrusted, "TLS_CERT_UNTRUSTED", "the server certificate is not issued by the provisioned lab CA", "CERT NON FIABLE", "UNTRUSTED CERT", true},
    {Verdict::TlsHostnameMismatch, "TLS_HOSTNAME_MISMATCH", "the server certificate does not name the provisioned host", "NOM SERVEUR FAUX", "WRONG HOSTNAME", true},
    {Verdict::TlsCertExpired, "TLS_CERT_EXPIRED", "the server certificate has expired (by the device's clock, set by unauthenticated SNTP)", "CERT EXPIRE", "CERT EXPIRED", true},
    {Verdict::TlsCertNotYetValid, "TLS_CERT_NOT_YET_VALID", "the server certificate is not valid yet (by the device's clock, set by unauthenticated SNTP)", "CERT DATE FUTURE", "CERT FUTURE DATE", true},
    {Verdict::TlsProtocol, "TLS_PROTOCOL", "the server offered a TLS version or cipher suite below policy (TLS 1.2+, AEAD only)", "TLS OBSOLETE", "OUTDATED TLS", true},
    {Verdict::TlsHandshakeFailed, "TLS_HANDSHAKE_FAILED", "the TLS handshake failed or was cut", "ECHEC TLS", "TLS FAILED", false},
    {Verdict::ConnectFailed, "CONNECT_FAILED", "the server could not be reached (DNS or TCP)", "SERVEUR INJOIGN.", "SERVER UNREACH.", false},
    {Verdict::AuthRejected, "AUTH_REJECTED", "the server rejected the device's API key", "CLE API REFUSEE", "API KEY REFUSED", false},
    {Verdict::ServerError, "SERVER_ERROR", "the server answered with an unexpected status or malformed HTTP", "ERREUR SERVEUR", "SERVER ERROR", false},
    {Verdict::ManifestMalformed, "MANIFEST_MALFORMED", "the manifest is not a well-formed JWS with a valid payload", "MANIFESTE INVAL.", "BAD MANIFEST", true},
    {Verdict::ManifestAlgRejected, "MANIFEST_ALG_REJECTED", "the manifest header names an algorithm other than ES256", "ALGO REFUSE", "ALGO REFUSED", true},
    {Verdict::ManifestSignatureInvalid, "MANIFEST_SIGNATURE_INVALID", "the manifest signature does not verify with the provisioned key", "SIGNATURE INVAL.", "BAD SIGNATURE", true},
    {Verdict::ManifestWrongProduct, "MANIFEST_WRONG_PRODUCT", "the manifest is for another product", "MAUVAIS PRODUIT", "WRONG PRODUCT", true},
    {Verdict::ManifestExpired, "MANIFEST_EXPIRED", "the manifest has expired", "MANIFESTE EXPIRE", "MANIFEST EXPIRED", true},
    {Verdict::ManifestNotYetValid, "MANIFEST_NOT_YET_VALID", "the manifest was issued in the future (by the device's clock)", "MANIF. FUTUR", "MANIF. FUTURE", true},
    {Verdict::ManifestReplayed, "MANIFEST_REPLAYED", "the manifest counter is below the highest one already accepted", "REJEU DETECTE", "REPLAY DETECTED", true},
    {Verdict::DowngradeRefused, "DOWNGRADE_REFUSED", "the manifest offers an older version than the running one", "RETROGRAD. REFUS", "DOWNGRADE REFUS.", true},
    {Verdict::SecureVersionTooLow, "SECURE_VERSION_TOO_LOW", "the release's secure_version is below the device's anti-rollback minimum", "ANTI-ROLLBACK", "ANTI-ROLLBACK", true},
    {Verdict::ImageTooLarge, "IMAGE_TOO_LARGE", "the announced image does not fit the target slot", "IMAGE > SLOT", "IMAGE > SLOT", true},
    {Verdict::SizeMismatch, "SIZE_MISMATCH", "the server sent a different number of bytes than the manifest announced", "TAILLE INVALIDE", "WRONG SIZE", true},
    {Verdict::HashMismatch, "HASH_MISMATCH", "the downloaded image's SHA-256 differs from the signed manifest", "HASH INVALID", "HASH INVALID", true},
    {Verdict::ImageInvalid, "IMAGE_INVALID", "the image is not a valid app image for this chip (header, checksum, appended hash)", "IMAGE INVALIDE", "INVALID IMAGE", true},
    {Verdict::VersionMismatch, "VERSION_MISMATCH", "the image's app descriptor does not carry the manifest's version/secure_version", "VERSION INCOHER.", "VERSION MISMATCH", true},
    {Verdict::ConnectionLost, "CONNECTION_LOST", "the connection dropped and the resume attempts ran out", "CONNEXION PERDUE", "CONNECTION LOST", false},
    {Verdict::Timeout, "TIMEOUT", "the server was too slow (read timeout or total deadline)", "DELAI DEPASSE", "TIMED OUT", false},
    {Verdict::FlashError, "FLASH_ERROR", "writing flash or the persistent counter failed", "ERREUR FLASH", "FLASH ERROR", false},
    {Verdict::InternalError, "INTERNAL_ERROR", "unexpected internal error on the device", "ERREUR INTERNE", "INTERNAL ERROR", false},
    {Verdict::Busy, "BUSY", "an update is already in progress", "MAJ EN COURS", "UPDATE RUNNING", false},
    {Verdict::Unsupported, "UNSUPPORTED", "this firmware was built without an OTA engine", "MAJ INDISPO.", "NO OTA ENGINE", false},
    {Verdict::VersionRolledBack, "VERSION_ROLLED_BACK", "this version (or this exact image) failed its self-test here before and was rolled back; only a newer version is installed", "VERSION REJETEE", "VERSION REJECTED", false},
    {Verdict::DecryptWrongKey, "DECRYPT_WRONG_KEY", "the release is encrypted for another key, or this device has no decryption key", "CLE DECH. FAUSSE", "WRONG DEC. KEY", true},
    {Verdict::DecryptBadTag, "DECRYPT_BAD_TAG", "the encrypted image's AES-GCM tag does not verify: it was altered", "TAG GCM INVALIDE", "BAD GCM TAG", true},
    {Verdict::DecryptTruncated, "DECRYPT_TRUNCATED", "the encrypted image ended before the size the manifest announces", "CHIFFRE TRONQUE", "CIPHER TRUNCATED", true},
    {Verdict::DecryptSizeMismatch, "DECRYPT_SIZE_MISMATCH", "the encrypted image's header, manifest and server sizes disagree", "TAILLE CHIFFRE", "CIPHER SIZE", true},
    {Verdict::DecryptHeaderInvalid, "DECRYPT_HEADER_INVALID", "the encrypted image's header is damaged (magic, reserved bytes, key parameters)", "ENTETE CHIFFRE", "CIPHER HEADER", true},
    {Verdict::ManifestInvalid, "MANIFEST_INVALID", "the manifest breaks the grammar of docs/manifest.md (unknown or out-of-range field, header parameter, high-s signature)", "CHAMP INVALIDE", "INVALID FIELD", true},
    {Verdict::ManifestWrongDevice, "MANIFEST_WRONG_DEVICE", "the manifest is bound to another device of the product", "AUTRE APPAREIL", "OTHER DEVICE", true},
    {Verdict::ImageWrongProduct, "IMAGE_WRONG_PRODUCT", "the image's project name is another product's; nothing was activated", "IMAGE AUTRE PROD", "IMAGE OTHER PROD", true},
    {Verdict::FreezeSuspected, "FREEZE_SUSPECTED", "the server answered without a signed statement after the last one expired: updates may be withheld", "GEL SUSPECTE", "FREEZE SUSPECTED", true},
};

const Row* row(Verdict v) {
    for (const Row& r : kRows)
        if (r.v == v) return &r;
    return nullptr;
}
}  // namespace

const char* to_string(Verdict v) {
    const Row* r = row(v);
    return r ? r->code : "INTERNAL_ERROR";
}

const char* reason(Verdict v) {
    const Row* r = row(v);
    return r ? r->reason : "unknown verdict";
}

const char* lcd_alert(Verdict v, LcdLanguage lang) {
    const Row* r = row(v);
    return r ? (lang == LcdLanguage::En ? r->lcd_en : r->lcd) : "";
}

bool is_security_refusal(Verdict v) {
    const Row* r = row(v);
    return r && r->security;
}

bool verdict_from_string(const std::string& code, Verdict& out) {
    for (const Row& r : kRows)
        if (code == r.code) {
            out = r.v;
            return true;
        }
    return false;
}

}  // namespace secure_ota::ota
