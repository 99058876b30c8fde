#include "secure_ota/ota/manifest_verifier.h"

#include "secure_ota/defence_profile.h"

#include <vector>

#include "secure_ota/ota/base64url.h"
#include "secure_ota/ota/json_reader.h"

namespace secure_ota::ota {
namespace {

ManifestResult refuse(Verdict v, std::string detail) {
    ManifestResult r;
    r.outcome = Outcome::of(v, std::move(detail));
    return r;
}

bool parse_hex_digest(const std::string& hex, secure_ota::crypto::Sha256Digest& out) {
    if (hex.size() != 64) return false;
    for (size_t i = 0; i < 32; ++i) {
        int v = 0;
        for (int k = 0; k < 2; ++k) {
            char c = hex[2 * i + k];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else return false;  // lowercase only, as docs/manifest.md says
        }
        out[i] = uint8_t(v);
    }
    return true;
}

bool url_path_ok(const std::string& url) {
    if (url.empty() || url.size() > kMaxUrlLength || url[0] != '/') return false;
    if (url.find("//") != std::string::npos || url.find("..") != std::string::npos) return false;
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7F || c == '#' || c == '?' || c == '\\' || c == '%') return false;
    return true;
}

// n/2 for P-256, big-endian: an ES256 signature whose s is above it is the "high-s" twin
// (r, n - s) of a low-s one. Both verify; the lab's signers always write the low one, so a
// high-s signature is a malleated copy and is refused (docs/manifest.md, rule 4).
constexpr uint8_t kHalfOrder[32] = {0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b,
                                    0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};

bool high_s(const uint8_t* s32) {
    for (size_t i = 0; i < 32; ++i)
        if (s32[i] != kHalfOrder[i]) return s32[i] > kHalfOrder[i];
    return false;
}

bool product_name_ok(const std::string& p) {
    if (p.empty() || p.size() > kMaxProductLength) return false;
    for (size_t i = 0; i < p.size(); ++i) {
        char c = p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-');
        if (!ok) return false;
    }
    return true;
}

// The payload fields of docs/manifest.md; anything else is refused (a new field means a new `v`).
bool known_payload_field(const std::string& name, int64_t v) {
    static const char* const kV1[] = {"v", "product", "version", "secure_version", "url", "size",
                                      "sha256", "issued_at", "expires_at", "counter", "device"};
    static const char* const kV2[] = {"encryption", "encryption_key_id", "encrypted_size", "encrypted_sha256"};
    for (const char* f : kV1)
        if (name == f) return true;
    if (v == 2)
        for (const char* f : kV2)
            if (name == f) return true;
    return false;
}

ManifestResult invalid(const std::string& field, const std::string& what) {
    return refuse(Verdict::ManifestInvalid, "field \"" + field + "\": " + what);
}

std::string version_detail(const char* what, const std::string& got, const std::string& want) {
    return std::string(what) + ": manifest " + got + ", device " + want;
}

}  // namespace

std::optional<Outcome> open_es256_jws(std::string_view jws, const crypto::EcdsaP256PublicKey* key, std::string_view typ_expected,
                                      std::string& kid, std::vector<uint8_t>& payload) {
    // 1. envelope
    if (jws.size() > kMaxJwsSize)
        return Outcome::of(Verdict::ManifestMalformed, "JWS of " + std::to_string(jws.size()) + " bytes exceeds " +
                                                      std::to_string(kMaxJwsSize));
    // A trailing newline is common in files served as is; nothing else is tolerated.
    while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r')) jws.remove_suffix(1);
    size_t d1 = jws.find('.');
    size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
    if (d1 == std::string_view::npos || d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos)
        return Outcome::of(Verdict::ManifestMalformed, "compact JWS must have exactly three parts");
    std::string_view h64 = jws.substr(0, d1), p64 = jws.substr(d1 + 1, d2 - d1 - 1), s64 = jws.substr(d2 + 1);
    if (h64.empty() || p64.empty() || (s64.empty() && defence_profile().signature)) return Outcome::of(Verdict::ManifestMalformed, "empty JWS part");
    std::vector<uint8_t> header, sig;
    payload.clear();
    if (!base64url_decode(h64, header, kMaxJwsSize) || !base64url_decode(p64, payload, kMaxJwsSize) ||
        !base64url_decode(s64, sig, kMaxJwsSize))
        return Outcome::of(Verdict::ManifestMalformed, "invalid base64url (padding, whitespace or foreign characters)");
    JsonObject h;
    JsonError je = parse_flat_json_object(reinterpret_cast<const char*>(header.data()), header.size(), h);
    if (je != JsonError::Ok) return Outcome::of(Verdict::ManifestMalformed, std::string("JWS header: ") + to_string(je));

    // A build without the signature check (defence_profile.h, lab only) reads the header and
    // payload and believes them, whatever the algorithm and signature: an unsigned manifest.
    if (!defence_profile().signature) {
        JsonObject h_any;
        if (parse_flat_json_object(reinterpret_cast<const char*>(header.data()), header.size(), h_any) == JsonError::Ok)
            h_any.get_string("kid", kid);
        return std::nullopt;
    }

    // 2. algorithm
    std::string alg;
    if (!h.get_string("alg", alg)) return Outcome::of(Verdict::ManifestAlgRejected, "JWS header has no string \"alg\"");
    if (alg != "ES256") return Outcome::of(Verdict::ManifestAlgRejected, "algorithm \"" + alg.substr(0, 32) + "\" is not ES256");
    // Exactly alg, typ and kid (docs/manifest.md): a verifier uses its provisioned key, never a
    // key or URL the message names (jwk, jku, x5u, x5c), and understands no "crit" extension.
    for (const auto& member : h.members())
        if (member.first != "alg" && member.first != "typ" && member.first != "kid")
            return Outcome::of(Verdict::ManifestInvalid, "header parameter \"" + member.first.substr(0, 32) +
                                                        "\" is not allowed (only alg, typ and kid)");
    std::string typ;
    if (!h.find("typ")) return Outcome::of(Verdict::ManifestInvalid, "header parameter \"typ\" is missing");
    if (!h.get_string("typ", typ) || typ != typ_expected)
        return Outcome::of(Verdict::ManifestInvalid, "header parameter \"typ\" is not \"" + std::string(typ_expected) + "\"");
    if (!h.find("kid")) return Outcome::of(Verdict::ManifestInvalid, "header parameter \"kid\" is missing");
    if (!h.get_string("kid", kid)) return Outcome::of(Verdict::ManifestInvalid, "header parameter \"kid\" is not a string");

    // 3. signature over the ASCII bytes "header.payload" exactly as received
    if (sig.size() != crypto::kEs256SignatureSize)
        return Outcome::of(Verdict::ManifestSignatureInvalid, "ES256 signature must be 64 bytes, got " + std::to_string(sig.size()));
    if (key) {
        std::string_view signing_input = jws.substr(0, d2);
        if (!key->verify(signing_input.data(), signing_input.size(), sig.data(), sig.size()))
            return Outcome::of(Verdict::ManifestSignatureInvalid, "signature does not verify with the provisioned key" +
                                                                 (kid.empty() || kid == key->kid() ? std::string()
                                                                                                   : " (kid " + kid.substr(0, 32) + ", device key " + key->kid() + ")"));
    }
    // Checked after the signature so that a forgery is reported as one, whatever its s.
    if (high_s(sig.data() + 32))
        return Outcome::of(Verdict::ManifestInvalid, "signature: s is in the upper half of the curve order (high-s, a "
                                                "malleated copy of a valid signature); signers write low-s only");

    return std::nullopt;
}

ManifestResult parse_and_verify_jws(std::string_view jws, const crypto::EcdsaP256PublicKey* key) {
    // 1-3. envelope, algorithm and header, signature
    std::string kid;
    std::vector<uint8_t> payload;
    if (auto refused = open_es256_jws(jws, key, "ota-manifest+jws", kid, payload)) {
        ManifestResult r;
        r.outcome = std::move(*refused);
        return r;
    }
    JsonError je;

    // 4. payload schema
    JsonObject p;
    je = parse_flat_json_object(reinterpret_cast<const char*>(payload.data()), payload.size(), p);
    if (je != JsonError::Ok) return refuse(Verdict::ManifestInvalid, std::string("payload: ") + to_string(je));
    Manifest m;
    m.kid = kid;
    // Every refusal below names its field: the signature verified, so this is a signer that
    // does not follow docs/manifest.md, and the field tells which rule it broke.
    if (!p.find("v")) return invalid("v", "missing");
    if (!p.get_int("v", m.v)) return invalid("v", "not an integer");
    if (m.v != 1 && m.v != 2) return invalid("v", "unsupported format " + std::to_string(m.v));
    for (const auto& member : p.members())
        if (!known_payload_field(member.first, m.v))
            return invalid(member.first.substr(0, 32), "unknown in format " + std::to_string(m.v));
    auto need_string = [&](const char* f, std::string& out) -> std::optional<ManifestResult> {
        if (!p.find(f)) return invalid(f, "missing");
        if (!p.get_string(f, out)) return invalid(f, "not a string");
        return std::nullopt;
    };
    auto need_int = [&](const char* f, int64_t& out, int64_t lo, int64_t hi) -> std::optional<ManifestResult> {
        if (!p.find(f)) return invalid(f, "missing");
        if (!p.get_int(f, out)) return invalid(f, "not an integer");
        if (out < lo || out > hi)
            return invalid(f, std::to_string(out) + " outside " + std::to_string(lo) + ".." + std::to_string(hi));
        return std::nullopt;
    };
    int64_t secure_version = 0, size = 0, counter = 0;
    std::string sha;
    if (auto e = need_string("product", m.product)) return *e;
    if (!product_name_ok(m.product)) return invalid("product", "not [a-z0-9][a-z0-9-]{0,31}");
    if (auto e = need_string("version", m.version)) return *e;
    auto sv = SemVer::parse(m.version);
    if (!sv || m.version.size() > kMaxVersionLength || m.version.find('+') != std::string::npos)
        return invalid("version", "not MAJOR.MINOR.PATCH[-prerelease] of at most 31 characters");
    m.semver = *sv;
    if (auto e = need_int("secure_version", secure_version, 0, 0xFFFFFFFFll)) return *e;
    m.secure_version = uint32_t(secure_version);
    if (auto e = need_string("url", m.url)) return *e;
    if (!url_path_ok(m.url)) return invalid("url", "not a plain absolute path on the provisioned server");
    if (auto e = need_int("size", size, 1, kMaxImageSize)) return *e;
    m.size = uint32_t(size);
    if (auto e = need_string("sha256", sha)) return *e;
    if (!parse_hex_digest(sha, m.sha256)) return invalid("sha256", "not 64 lowercase hex digits");
    if (auto e = need_int("issued_at", m.issued_at, 0, kMaxJsonInteger)) return *e;
    if (auto e = need_int("expires_at", m.expires_at, 0, kMaxJsonInteger)) return *e;
    if (m.expires_at <= m.issued_at) return invalid("expires_at", "not after issued_at");
    if (auto e = need_int("counter", counter, 1, kMaxJsonInteger)) return *e;
    m.counter = uint64_t(counter);
    if (p.find("device")) {
        if (!p.get_string("device", m.device)) return invalid("device", "not a string");
        if (m.device.empty() || m.device.size() > kMaxDeviceIdLength) return invalid("device", "empty or too long");
    }
    if (m.v == 2) {  // an encrypted release
        int64_t encrypted_size = 0;
        std::string encrypted_sha;
        if (auto e = need_string("encryption", m.encryption_scheme)) return *e;
        if (m.encryption_scheme != "ecies-p256" && m.encryption_scheme != "rsa-3072")
            return invalid("encryption", "unknown scheme");
        if (auto e = need_string("encryption_key_id", m.encryption_key_id)) return *e;
        bool id_ok = m.encryption_key_id.size() == 16;
        for (char c : m.encryption_key_id) id_ok = id_ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (!id_ok) return invalid("encryption_key_id", "not 16 lowercase hex digits");
        if (auto e = need_int("encrypted_size", encrypted_size, 0, kMaxJsonInteger)) return *e;
        if (encrypted_size != size + 512) return invalid("encrypted_size", "not size + 512");
        m.encrypted_size = uint32_t(encrypted_size);
        if (auto e = need_string("encrypted_sha256", encrypted_sha)) return *e;
        if (!parse_hex_digest(encrypted_sha, m.encrypted_sha256)) return invalid("encrypted_sha256", "not 64 lowercase hex digits");
        m.encrypted = true;
    }

    ManifestResult r;
    r.outcome = Outcome::of(Verdict::Updated);
    r.manifest = std::move(m);
    return r;
}

Outcome check_manifest_policy(const Manifest& m, const DeviceContext& d) {
    // 5. product
    if (m.product != d.product)
        return Outcome::of(Verdict::ManifestWrongProduct, "manifest for \"" + m.product + "\", device is \"" + d.product + "\"");
    // 5b. device binding: a per-device deployment's manifest names its one device
    if (!m.device.empty() && m.device != d.device_id)
        return Outcome::of(Verdict::ManifestWrongDevice, "manifest for device \"" + m.device + "\", this is \"" + d.device_id + "\"");
    // 6. time
    if (!d.now || *d.now < kMinPlausibleUnixTime) return Outcome::of(Verdict::NoValidTime, "no trusted time to check expiry");
    if (*d.now >= m.expires_at)
        return Outcome::of(Verdict::ManifestExpired, "expired at " + std::to_string(m.expires_at) + ", now " + std::to_string(*d.now));
    if (m.issued_at > *d.now + kClockSkewSeconds)
        return Outcome::of(Verdict::ManifestNotYetValid, "issued at " + std::to_string(m.issued_at) + ", now " + std::to_string(*d.now));
    // 7. counter (a build without anti-replay, lab only, has no counter memory)
    if (d.highest && defence_profile().anti_replay) {
        if (m.counter < d.highest->counter)
            return Outcome::of(Verdict::ManifestReplayed, "counter " + std::to_string(m.counter) + " < highest accepted " +
                                                              std::to_string(d.highest->counter));
        if (m.counter == d.highest->counter && m.version != d.highest->version)
            return Outcome::of(Verdict::ManifestReplayed, "counter " + std::to_string(m.counter) + " was accepted for version " +
                                                              d.highest->version + ", not " + m.version);
    }
    // 8. version
    int c = compare(m.semver, d.running_version);
    if (c == 0) return Outcome::of(Verdict::NoUpdate, "already running " + m.version);
    if (!defence_profile().anti_downgrade) c = 1;  // lab build without anti-downgrade: any other version installs
    if (c < 0) return Outcome::of(Verdict::DowngradeRefused, version_detail("version", m.version, d.running_version.to_string()));
    // 9. anti-rollback
    if (defence_profile().anti_downgrade && m.secure_version < d.min_secure_version)
        return Outcome::of(Verdict::SecureVersionTooLow, "secure_version " + std::to_string(m.secure_version) + " < minimum " +
                                                             std::to_string(d.min_secure_version));
    // 10. size
    if (m.size > d.slot_size)
        return Outcome::of(Verdict::ImageTooLarge, "image of " + std::to_string(m.size) + " bytes, slot of " + std::to_string(d.slot_size));
    return Outcome::of(Verdict::Updated);
}

ManifestResult verify_manifest(std::string_view jws, const crypto::EcdsaP256PublicKey& key, const DeviceContext& device) {
    ManifestResult r = parse_and_verify_jws(jws, &key);
    if (!r.manifest) return r;
    r.outcome = check_manifest_policy(*r.manifest, device);
    return r;
}

}  // namespace secure_ota::ota
