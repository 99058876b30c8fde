#include "secure_ota/ota/freshness_statement.h"

#include <vector>

#include "secure_ota/ota/base64url.h"
#include "secure_ota/ota/json_reader.h"
#include "secure_ota/ota/manifest_verifier.h"

namespace secure_ota::ota {
namespace {

FreshnessResult refuse(Verdict v, std::string detail) {
    FreshnessResult r;
    r.outcome = Outcome::of(v, std::move(detail));
    return r;
}

FreshnessResult invalid(const std::string& field, const std::string& what) {
    return refuse(Verdict::ManifestInvalid, "freshness statement field \"" + field + "\": " + what);
}

}  // namespace

bool names_freshness_typ(std::string_view jws) {
    size_t d1 = jws.find('.');
    if (d1 == std::string_view::npos || d1 > kMaxJwsSize) return false;
    std::vector<uint8_t> header;
    if (!base64url_decode(jws.substr(0, d1), header, kMaxJwsSize)) return false;
    JsonObject h;
    if (parse_flat_json_object(reinterpret_cast<const char*>(header.data()), header.size(), h) != JsonError::Ok) return false;
    std::string typ;
    return h.get_string("typ", typ) && typ == kFreshnessTyp;
}

FreshnessResult verify_freshness_statement(std::string_view jws, const crypto::EcdsaP256PublicKey& key,
                                           const FreshnessContext& d) {
    // 1-3. the same envelope, header and signature rules as a manifest, with its own typ so that
    // a statement can never be taken for a manifest or the other way round
    std::string kid;
    std::vector<uint8_t> payload;
    if (auto refused = open_es256_jws(jws, &key, kFreshnessTyp, kid, payload)) return refuse(refused->verdict, refused->detail);

    // 4. payload grammar: exactly the documented fields
    JsonObject p;
    JsonError je = parse_flat_json_object(reinterpret_cast<const char*>(payload.data()), payload.size(), p);
    if (je != JsonError::Ok) return refuse(Verdict::ManifestInvalid, std::string("freshness statement payload: ") + to_string(je));
    static const char* const kFields[] = {"v", "product", "device", "current", "issued_at", "expires_at"};
    for (const auto& member : p.members()) {
        bool known = false;
        for (const char* f : kFields) known = known || member.first == f;
        if (!known) return invalid(member.first.substr(0, 32), "unknown in format 1");
    }
    int64_t v = 0;
    if (!p.find("v")) return invalid("v", "missing");
    if (!p.get_int("v", v)) return invalid("v", "not an integer");
    if (v != 1) return invalid("v", "unsupported format " + std::to_string(v));
    FreshnessStatement s;
    s.kid = kid;
    for (auto [name, out] : {std::pair<const char*, std::string*>{"product", &s.product}, {"device", &s.device}, {"current", &s.current}}) {
        if (!p.find(name)) return invalid(name, "missing");
        if (!p.get_string(name, *out)) return invalid(name, "not a string");
        if (out->empty() || out->size() > kMaxDeviceIdLength) return invalid(name, "empty or too long");
    }
    for (auto [name, out] : {std::pair<const char*, int64_t*>{"issued_at", &s.issued_at}, {"expires_at", &s.expires_at}}) {
        if (!p.find(name)) return invalid(name, "missing");
        if (!p.get_int(name, *out)) return invalid(name, "not an integer");
        if (*out < 0 || *out > kMaxJsonInteger) return invalid(name, std::to_string(*out) + " outside 0..2^53-1");
    }
    if (s.expires_at <= s.issued_at) return invalid("expires_at", "not after issued_at");
    if (s.expires_at - s.issued_at > kMaxFreshnessValidity)
        return invalid("expires_at", "validity of " + std::to_string(s.expires_at - s.issued_at) + " s exceeds " +
                                         std::to_string(kMaxFreshnessValidity) + " s");

    FreshnessResult r;
    r.statement = s;
    // 5. whose statement it is
    if (s.product != d.product)
        r.outcome = Outcome::of(Verdict::ManifestWrongProduct, "freshness statement for \"" + s.product + "\", device is \"" + d.product + "\"");
    else if (s.device != d.device_id)
        r.outcome = Outcome::of(Verdict::ManifestWrongDevice, "freshness statement for device \"" + s.device + "\", this is \"" + d.device_id + "\"");
    else if (s.current != d.running_version)
        r.outcome = Outcome::of(Verdict::ManifestInvalid, "freshness statement field \"current\": names " + s.current +
                                                              ", this device runs " + d.running_version);
    // 6. time
    else if (!d.now || *d.now < kMinPlausibleUnixTime)
        r.outcome = Outcome::of(Verdict::NoValidTime, "no trusted time to check the freshness statement's expiry");
    else if (*d.now >= s.expires_at)
        r.outcome = Outcome::of(Verdict::ManifestExpired, "freshness statement expired at " + std::to_string(s.expires_at) +
                                                              ", now " + std::to_string(*d.now));
    else if (s.issued_at > *d.now + kClockSkewSeconds)
        r.outcome = Outcome::of(Verdict::ManifestNotYetValid, "freshness statement issued at " + std::to_string(s.issued_at) +
                                                                  ", now " + std::to_string(*d.now));
    // 7. never older than the latest one accepted
    else if (d.latest_issued_at && s.issued_at < *d.latest_issued_at)
        r.outcome = Outcome::of(Verdict::ManifestReplayed, "freshness statement issued at " + std::to_string(s.issued_at) +
                                                               ", older than the latest accepted (" + std::to_string(*d.latest_issued_at) + ")");
    else
        r.outcome = Outcome::of(Verdict::NoUpdate, "signed: nothing newer than " + s.current + " until " + std::to_string(s.expires_at));
    return r;
}

}  // namespace secure_ota::ota
