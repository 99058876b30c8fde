// Stable, machine-readable outcomes of an update attempt. The workbench, its scenarios and
// its tests match on the code string (to_string), never on the human text. Codes are only
// ever added, never renamed or reused. Listed with their meaning in docs/ota-verdicts.md.
#pragma once

#include <string>
#include "secure_ota/lcd_text.h"

namespace secure_ota::ota {

enum class Verdict {
    Updated,                   // UPDATED: image written, verified, boot partition set
    NoUpdate,                  // NO_UPDATE: server has nothing newer (204) or same version
    // device state
    NotProvisioned,            // NOT_PROVISIONED: factory data (CA, signing key, URL...) missing
    NoValidTime,               // NO_VALID_TIME: no trusted wall-clock time yet
    AppNotConfirmed,           // APP_NOT_CONFIRMED: running app still PENDING_VERIFY
    // TLS
    TlsCertUntrusted,          // TLS_CERT_UNTRUSTED
    TlsHostnameMismatch,       // TLS_HOSTNAME_MISMATCH
    TlsCertExpired,            // TLS_CERT_EXPIRED
    TlsCertNotYetValid,        // TLS_CERT_NOT_YET_VALID
    TlsProtocol,               // TLS_PROTOCOL: version / cipher suite refused
    TlsHandshakeFailed,        // TLS_HANDSHAKE_FAILED: any other handshake failure or cut
    ConnectFailed,             // CONNECT_FAILED: TCP connect / DNS failed
    // HTTP / server
    AuthRejected,              // AUTH_REJECTED: 401/403 on the manifest request
    ServerError,               // SERVER_ERROR: unexpected status, malformed HTTP
    // manifest
    ManifestMalformed,         // MANIFEST_MALFORMED
    ManifestAlgRejected,       // MANIFEST_ALG_REJECTED
    ManifestSignatureInvalid,  // MANIFEST_SIGNATURE_INVALID
    ManifestWrongProduct,      // MANIFEST_WRONG_PRODUCT
    ManifestExpired,           // MANIFEST_EXPIRED
    ManifestNotYetValid,       // MANIFEST_NOT_YET_VALID
    ManifestReplayed,          // MANIFEST_REPLAYED: counter went back
    DowngradeRefused,          // DOWNGRADE_REFUSED
    SecureVersionTooLow,       // SECURE_VERSION_TOO_LOW
    ImageTooLarge,             // IMAGE_TOO_LARGE
    // image
    SizeMismatch,              // SIZE_MISMATCH
    HashMismatch,              // HASH_MISMATCH
    ImageInvalid,              // IMAGE_INVALID
    VersionMismatch,           // VERSION_MISMATCH
    // transport / device
    ConnectionLost,            // CONNECTION_LOST
    Timeout,                   // TIMEOUT
    FlashError,                // FLASH_ERROR
    InternalError,             // INTERNAL_ERROR: a bug or resource exhaustion on the device
    Busy,                      // BUSY: an update is already running (emitted by the app glue)
    Unsupported,               // UNSUPPORTED: this firmware was built without an OTA engine
    VersionRolledBack,         // VERSION_ROLLED_BACK: this version/image was rolled back here before
    // encrypted images (issue 14, docs/encrypted-image.md)
    DecryptWrongKey,           // DECRYPT_WRONG_KEY: encrypted for another key, or the device has none
    DecryptBadTag,             // DECRYPT_BAD_TAG: the AES-GCM tag does not verify
    DecryptTruncated,          // DECRYPT_TRUNCATED: the encrypted file ended early
    DecryptSizeMismatch,       // DECRYPT_SIZE_MISMATCH: header, manifest and server sizes disagree, or extra bytes
    DecryptHeaderInvalid,      // DECRYPT_HEADER_INVALID: magic, reserved bytes, ephemeral or wrapped key damaged
    // issue 29: the grammar of docs/manifest.md, device binding, the image's product
    ManifestInvalid,           // MANIFEST_INVALID: outside the documented grammar (the detail names the field)
    ManifestWrongDevice,       // MANIFEST_WRONG_DEVICE: a per-device manifest for another device
    ImageWrongProduct,         // IMAGE_WRONG_PRODUCT: the image's project_name is another product's
    FreezeSuspected,           // FREEZE_SUSPECTED: no fresh signed statement for longer than its validity
};

// Every verdict, in declaration order (for docs and tests).
constexpr Verdict kAllVerdicts[] = {
    Verdict::Updated, Verdict::NoUpdate, Verdict::NotProvisioned, Verdict::NoValidTime,
    Verdict::AppNotConfirmed, Verdict::TlsCertUntrusted, Verdict::TlsHostnameMismatch,
    Verdict::TlsCertExpired, Verdict::TlsCertNotYetValid, Verdict::TlsProtocol,
    Verdict::TlsHandshakeFailed, Verdict::ConnectFailed, Verdict::AuthRejected,
    Verdict::ServerError, Verdict::ManifestMalformed, Verdict::ManifestAlgRejected,
    Verdict::ManifestSignatureInvalid, Verdict::ManifestWrongProduct, Verdict::ManifestExpired,
    Verdict::ManifestNotYetValid, Verdict::ManifestReplayed, Verdict::DowngradeRefused,
    Verdict::SecureVersionTooLow, Verdict::ImageTooLarge, Verdict::SizeMismatch,
    Verdict::HashMismatch, Verdict::ImageInvalid, Verdict::VersionMismatch,
    Verdict::ConnectionLost, Verdict::Timeout, Verdict::FlashError, Verdict::InternalError, Verdict::Busy,
    Verdict::Unsupported, Verdict::VersionRolledBack, Verdict::DecryptWrongKey, Verdict::DecryptBadTag, Verdict::DecryptTruncated,
    Verdict::DecryptSizeMismatch, Verdict::DecryptHeaderInvalid, Verdict::ManifestInvalid,
    Verdict::ManifestWrongDevice, Verdict::ImageWrongProduct, Verdict::FreezeSuspected,
};

// "TLS_CERT_UNTRUSTED", ...: the stable code.
const char* to_string(Verdict v);
// One line of English for humans (logs, LCD detail); may change between releases.
const char* reason(Verdict v);
// The LCD alert line (16 chars max) for a refusal in the board's LCD language, e.g. "HASH INVALID";
// "" for UPDATED/NO_UPDATE.
const char* lcd_alert(Verdict v, LcdLanguage lang = LcdLanguage::Fr);
// True for outcomes that indicate an attack or tampering rather than a benign condition.
bool is_security_refusal(Verdict v);
// Parses a code back (for the workbench protocol); false if unknown.
bool verdict_from_string(const std::string& code, Verdict& out);

// A verdict with the concrete detail of this occurrence (flags, offsets, values).
struct Outcome {
    Verdict verdict = Verdict::InternalError;
    std::string detail;

    bool ok() const { return verdict == Verdict::Updated; }
    static Outcome of(Verdict v, std::string d = {}) { return Outcome{v, std::move(d)}; }
};

}  // namespace secure_ota::ota
