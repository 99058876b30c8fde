#include "secure_ota/ota/manifest_verifier.h"

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

std::string version_detail(const char* what, const std::string& got, const std::string& want) {
    return std::string(what) + ": manifest " + got + ", device " + want;
}

}  // namespace

ManifestResult parse_and_verify_jws(std::string_view jws, const crypto::EcdsaP256PublicKey* key) {
    // 1. envelope
    if (jws.size() > kMaxJwsSize)
        return refuse(Verdict::ManifestMalformed, "JWS of " + std::to_string(jws.size()) + " bytes exceeds " +
                                                      std::to_string(kMaxJwsSize));
    // A trailing newline is common in files served as is; nothing else is tolerated.
    while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r')) jws.remove_suffix(1);
    size_t d1 = jws.find('.');
    size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
    if (d1 == std::string_view::npos || d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos)
        return refuse(Verdict::ManifestMalformed, "compact JWS must have exactly three parts");
    std::string_view h64 = jws.substr(0, d1), p64 = jws.substr(d1 + 1, d2 - d1 - 1), s64 = jws.substr(d2 + 1);
    if (h64.empty() || p64.empty() || s64.empty()) return refuse(Verdict::ManifestMalformed, "empty JWS part");
    std::vector<uint8_t> header, payload, sig;
    if (!base64url_decode(h64, header, kMaxJwsSize) || !base64url_decode(p64, payload, kMaxJwsSize) ||
        !base64url_decode(s64, sig, kMaxJwsSize))
        return refuse(Verdict::ManifestMalformed, "invalid base64url (padding, whitespace or foreign characters)");
    JsonObject h;
    JsonError je = parse_flat_json_object(reinterpret_cast<const char*>(header.data()), header.size(), h);
    if (je != JsonError::Ok) return refuse(Verdict::ManifestMalformed, std::string("JWS header: ") + to_string(je));

    // 2. algorithm
    std::string alg;
    if (!h.get_string("alg", alg)) return refuse(Verdict::ManifestAlgRejected, "JWS header has no string \"alg\"");
    if (alg != "ES256") return refuse(Verdict::ManifestAlgRejected, "algorithm \"" + alg.substr(0, 32) + "\" is not ES256");
    if (h.find("crit")) return refuse(Verdict::ManifestMalformed, "JWS \"crit\" header is not supported");
    std::string typ;
    if (h.find("typ") && (!h.get_string("typ", typ) || typ != "ota-manifest+jws"))
        return refuse(Verdict::ManifestMalformed, "JWS \"typ\" is not ota-manifest+jws");
    std::string kid;
    if (h.find("kid") && !h.get_string("kid", kid)) return refuse(Verdict::ManifestMalformed, "JWS \"kid\" is not a string");

    // 3. signature over the ASCII bytes "header.payload" exactly as received
    if (sig.size() != crypto::kEs256SignatureSize)
        return refuse(Verdict::ManifestSignatureInvalid, "ES256 signature must be 64 bytes, got " + std::to_string(sig.size()));
    if (key) {
        std::string_view signing_input = jws.substr(0, d2);
        if (!key->verify(signing_input.data(), signing_input.size(), sig.data(), sig.size()))
            return refuse(Verdict::ManifestSignatureInvalid, "signature does not verify with the provisioned key" +
                                                                 (kid.empty() || kid == key->kid() ? std::string()
                                                                                                   : " (kid " + kid.substr(0, 32) + ", device key " + key->kid() + ")"));
    }

    // 4. payload schema
    JsonObject p;
    je = parse_flat_json_object(reinterpret_cast<const char*>(payload.data()), payload.size(), p);
    if (je != JsonError::Ok) return refuse(Verdict::ManifestMalformed, std::string("payload: ") + to_string(je));
    Manifest m;
    m.kid = kid;
    int64_t secure_version, size, counter;
    std::string sha;
    if (!p.get_int("v", m.v) || !p.get_string("product", m.product) || !p.get_string("version", m.version) ||
        !p.get_int("secure_version", secure_version) || !p.get_string("url", m.url) || !p.get_int("size", size) ||
        !p.get_string("sha256", sha) || !p.get_int("issued_at", m.issued_at) || !p.get_int("expires_at", m.expires_at) ||
        !p.get_int("counter", counter))
        return refuse(Verdict::ManifestMalformed, "payload lacks a field or has a field of the wrong type");
    if (m.v != 1 && m.v != 2) return refuse(Verdict::ManifestMalformed, "unsupported manifest format v=" + std::to_string(m.v));
    if (m.v == 2) {  // an encrypted release
        int64_t encrypted_size;
        std::string encrypted_sha;
        if (!p.get_string("encryption", m.encryption_scheme) || !p.get_string("encryption_key_id", m.encryption_key_id) ||
            !p.get_int("encrypted_size", encrypted_size) || !p.get_string("encrypted_sha256", encrypted_sha))
            return refuse(Verdict::ManifestMalformed, "format 2 lacks an encryption field or has one of the wrong type");
        if (m.encryption_scheme != "ecies-p256" && m.encryption_scheme != "rsa-3072")
            return refuse(Verdict::ManifestMalformed, "unknown encryption scheme");
        bool id_ok = m.encryption_key_id.size() == 16;
        for (char c : m.encryption_key_id) id_ok = id_ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        if (!id_ok) return refuse(Verdict::ManifestMalformed, "encryption_key_id is not 16 lowercase hex digits");
        if (size <= 0 || size > 0xFFFFFFFFll - 512 || encrypted_size != size + 512)
            return refuse(Verdict::ManifestMalformed, "encrypted_size must be size + 512");
        m.encrypted_size = uint32_t(encrypted_size);
        if (!parse_hex_digest(encrypted_sha, m.encrypted_sha256))
            return refuse(Verdict::ManifestMalformed, "encrypted_sha256 is not 64 lowercase hex digits");
        m.encrypted = true;
    }
    if (m.product.empty() || m.product.size() > kMaxProductLength) return refuse(Verdict::ManifestMalformed, "bad product");
    auto sv = SemVer::parse(m.version);
    if (!sv) return refuse(Verdict::ManifestMalformed, "version is not MAJOR.MINOR.PATCH semver");
    m.semver = *sv;
    if (secure_version < 0 || secure_version > 0xFFFFFFFFll) return refuse(Verdict::ManifestMalformed, "secure_version out of range");
    m.secure_version = uint32_t(secure_version);
    if (size <= 0 || size > 0xFFFFFFFFll) return refuse(Verdict::ManifestMalformed, "size out of range");
    m.size = uint32_t(size);
    if (counter < 0) return refuse(Verdict::ManifestMalformed, "negative counter");
    m.counter = uint64_t(counter);
    if (!parse_hex_digest(sha, m.sha256)) return refuse(Verdict::ManifestMalformed, "sha256 is not 64 lowercase hex digits");
    if (!url_path_ok(m.url)) return refuse(Verdict::ManifestMalformed, "url must be a plain absolute path on the provisioned server");
    if (m.issued_at < 0 || m.expires_at <= m.issued_at) return refuse(Verdict::ManifestMalformed, "expires_at must follow issued_at");

    ManifestResult r;
    r.outcome = Outcome::of(Verdict::Updated);
    r.manifest = std::move(m);
    return r;
}

Outcome check_manifest_policy(const Manifest& m, const DeviceContext& d) {
    // 5. product
    if (m.product != d.product)
        return Outcome::of(Verdict::ManifestWrongProduct, "manifest for \"" + m.product + "\", device is \"" + d.product + "\"");
    // 6. time
    if (!d.now || *d.now < kMinPlausibleUnixTime) return Outcome::of(Verdict::NoValidTime, "no trusted time to check expiry");
    if (*d.now >= m.expires_at)
        return Outcome::of(Verdict::ManifestExpired, "expired at " + std::to_string(m.expires_at) + ", now " + std::to_string(*d.now));
    if (m.issued_at > *d.now + kClockSkewSeconds)
        return Outcome::of(Verdict::ManifestNotYetValid, "issued at " + std::to_string(m.issued_at) + ", now " + std::to_string(*d.now));
    // 7. counter
    if (d.highest) {
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
    if (c < 0) return Outcome::of(Verdict::DowngradeRefused, version_detail("version", m.version, d.running_version.to_string()));
    // 9. anti-rollback
    if (m.secure_version < d.min_secure_version)
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
