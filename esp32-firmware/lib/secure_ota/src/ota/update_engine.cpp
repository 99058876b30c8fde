#include "secure_ota/ota/update_engine.h"

#include "secure_ota/defence_profile.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "secure_ota/app_descriptor.h"
#include "secure_ota/app_image.h"
#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota/encrypted_image_stage.h"

namespace secure_ota::ota {

std::string utc_text(int64_t t) {
    // Howard Hinnant's civil_from_days.
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m, (long long)d,
                  (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    return buf;
}

namespace {

constexpr size_t kHeadCopy = AppDescriptor::kImageOffset + AppDescriptor::kSize;  // 0x120 bytes

Verdict verdict_of(OtaError e) {
    switch (e) {
        case OtaError::Ok: return Verdict::Updated;
        case OtaError::InvalidArgument: return Verdict::ImageTooLarge;
        case OtaError::RollbackInvalidState: return Verdict::AppNotConfirmed;
        case OtaError::SizeMismatch: return Verdict::SizeMismatch;
        case OtaError::ValidateFailed: return Verdict::ImageInvalid;
        case OtaError::SmallSecureVersion: return Verdict::SecureVersionTooLow;
        case OtaError::FlashFailed: return Verdict::FlashError;
        default: return Verdict::InternalError;
    }
}

std::string json_escape(const std::string& s) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += char(c);
        }
    }
    return out;
}

Outcome http_failure(const HttpResult& r, const char* what) {
    std::string d = std::string(what) + ": " + to_string(r.error) + (r.detail.empty() ? "" : " (" + r.detail + ")");
    switch (r.error) {
        case HttpError::Timeout: return Outcome::of(Verdict::Timeout, d);
        case HttpError::ConnectionLost: return Outcome::of(Verdict::ConnectionLost, d);
        default: return Outcome::of(Verdict::ServerError, d);
    }
}

}  // namespace

const char* to_string(UpdatePhase p) {
    switch (p) {
        case UpdatePhase::CheckingTime: return "checking_time";
        case UpdatePhase::Connecting: return "connecting";
        case UpdatePhase::FetchingManifest: return "fetching_manifest";
        case UpdatePhase::VerifyingManifest: return "verifying_manifest";
        case UpdatePhase::Downloading: return "downloading";
        case UpdatePhase::VerifyingImage: return "verifying_image";
        case UpdatePhase::Activating: return "activating";
        case UpdatePhase::Done: return "done";
    }
    return "unknown";
}

uint32_t UpdateEngine::timeout_until(uint64_t deadline, uint32_t cap) {
    uint64_t now = d_.clock.monotonic_ms();
    if (now >= deadline) return 0;
    return uint32_t(std::min<uint64_t>(cap, deadline - now));
}

Outcome UpdateEngine::fetch_manifest(std::string& jws, uint64_t deadline, const RunningApp& running) {
    phase(UpdatePhase::Connecting);
    uint32_t t = timeout_until(deadline, cfg_.connect_timeout_ms);
    if (t == 0) return Outcome::of(Verdict::Timeout, "total deadline reached before connecting");
    ConnectResult c = d_.connector.connect(cfg_.server_host, cfg_.server_port, t);
    if (!c.stream) return c.failure;
    if (d_.observer) d_.observer->on_connected("manifest", c.resumed);
    phase(UpdatePhase::FetchingManifest);
    HttpRequest req;
    req.host = cfg_.server_host;
    req.port = cfg_.server_port;
    req.target = "/api/v1/manifest?product=" + url_encode_component(cfg_.product) +
                 "&device=" + url_encode_component(cfg_.device_id) + "&current=" + url_encode_component(running.version);
    req.headers.emplace_back("Authorization", "Bearer " + cfg_.api_key);
    req.headers.emplace_back("Accept", "application/jose");
    Outcome refused = Outcome::of(Verdict::Updated);
    HeadCheck check = [&](const HttpResponseHead& h) {
        if (h.status == 200 || h.status == 204) return true;
        if (h.status == 401 || h.status == 403)
            refused = Outcome::of(Verdict::AuthRejected, "manifest request answered " + std::to_string(h.status));
        else
            refused = Outcome::of(Verdict::ServerError, "manifest request answered " + std::to_string(h.status) + " " + h.reason.substr(0, 60));
        return false;
    };
    jws.clear();
    BodySink sink = [&](const uint8_t* p, size_t n) {
        jws.append(reinterpret_cast<const char*>(p), n);
        return jws.size() <= kMaxJwsSize;
    };
    HttpClient http(d_.clock, cfg_.http);
    HttpResult r = http.exchange(*c.stream, req, kMaxJwsSize, sink, deadline, check);
    c.stream->close();
    bytes_after_body_ += r.bytes_after_body;
    if (refused.verdict != Verdict::Updated) return refused;
    if (r.error == HttpError::TooLarge && r.head.status == 200 && r.head.content_length && *r.head.content_length > kMaxJwsSize)
        return Outcome::of(Verdict::ManifestMalformed, "manifest body larger than " + std::to_string(kMaxJwsSize) + " bytes");
    if (!r.ok()) return http_failure(r, "manifest request");
    if (r.head.status == 204) return Outcome::of(Verdict::NoUpdate, "server has nothing newer than " + running.version);
    return Outcome::of(Verdict::Updated);
}

// HTTP 204: an unsigned "no update". Believed only by a device that never had a signed statement
// (a server from before signed freshness); after one, it is exactly what a freezing server
// (or anyone holding its TLS key) would send.
Outcome UpdateEngine::unsigned_no_update(const RunningApp& running) {
    std::optional<FreshnessRecord> last = d_.freshness ? d_.freshness->load() : std::nullopt;
    if (!last) return Outcome::of(Verdict::NoUpdate, "server has nothing newer than " + running.version);
    std::optional<int64_t> now = d_.time.unix_time();
    if (now && *now >= last->expires_at)
        return Outcome::of(Verdict::FreezeSuspected,
                           "the server answered an unsigned \"no update\" (204); this device's latest signed statement, issued " +
                               utc_text(last->issued_at) + ", expired at " + utc_text(last->expires_at) +
                               ": updates may be withheld from it");
    return Outcome::of(Verdict::ServerError, "unsigned \"no update\" (204) refused: this device has had signed statements "
                                             "(latest valid until " + utc_text(last->expires_at) + ")");
}

// A signed "nothing newer": verified, then it raises the time floor like a manifest and is
// remembered (its issued_at is the device's freshness counter).
Outcome UpdateEngine::accept_freshness(const std::string& jws, const RunningApp& running) {
    phase(UpdatePhase::VerifyingManifest);
    FreshnessContext ctx;
    ctx.product = cfg_.product;
    ctx.device_id = cfg_.device_id;
    ctx.running_version = running.version;
    ctx.now = d_.time.unix_time();
    std::optional<FreshnessRecord> last = d_.freshness ? d_.freshness->load() : std::nullopt;
    if (last) ctx.latest_issued_at = last->issued_at;
    FreshnessResult r = verify_freshness_statement(jws, *d_.signing_key, ctx);
    if (!r.accepted()) {
        // A refused statement is no statement: when the last good one has expired, say freeze.
        if (last && ctx.now && *ctx.now >= last->expires_at)
            return Outcome::of(Verdict::FreezeSuspected, std::string(to_string(r.outcome.verdict)) + ": " + r.outcome.detail +
                                                             "; this device's latest signed statement expired at " +
                                                             utc_text(last->expires_at));
        return r.outcome;
    }
    if (d_.time_floor && ctx.now) {
        int64_t seen = std::min(r.statement->issued_at, *ctx.now);
        auto stored = d_.time_floor->load();
        if ((!stored || seen > *stored) && !d_.time_floor->raise(seen))
            return Outcome::of(Verdict::FlashError, "cannot persist the time floor");
    }
    if (d_.freshness && !d_.freshness->store(FreshnessRecord{r.statement->issued_at, r.statement->expires_at}))
        return Outcome::of(Verdict::FlashError, "cannot persist the latest freshness statement");
    return r.outcome;
}

UpdateResult UpdateEngine::run(const RunningApp& running) {
    UpdateResult res;
    bytes_after_body_ = 0;
    auto done = [&](Outcome o) {
        res.outcome = std::move(o);
        res.bytes_after_body = bytes_after_body_;
        phase(UpdatePhase::Done);
        return res;
    };
    const uint64_t deadline = d_.clock.monotonic_ms() + cfg_.total_timeout_ms;

    // 0. provisioning and device state
    if (!d_.signing_key || cfg_.server_host.empty() || cfg_.api_key.empty() || cfg_.product.empty() || cfg_.device_id.empty())
        return done(Outcome::of(Verdict::NotProvisioned, "factory data lacks the signing key, server, product, device id or API key"));
    auto running_version = SemVer::parse(running.version);
    if (!running_version) return done(Outcome::of(Verdict::InternalError, "running version \"" + running.version + "\" is not semver"));
    const PartitionEntry* target = d_.ota.next_update_partition();
    if (!target) return done(Outcome::of(Verdict::InternalError, "the partition table has no OTA slot"));
    res.target_label = target->label;
    if (d_.ota.running_state() == OtaImgState::PendingVerify)
        return done(Outcome::of(Verdict::AppNotConfirmed, "running app has not confirmed itself yet"));

    // 1. time: asked again before every check, and never below the time floor
    phase(UpdatePhase::CheckingTime);
    d_.time.refresh();
    std::optional<int64_t> now = d_.time.unix_time();
    if (!now || *now < kMinPlausibleUnixTime) return done(Outcome::of(Verdict::NoValidTime, "no trusted time (SNTP not synchronised)"));
    // A build without the time floor (lab only) believes any time after kMinPlausibleUnixTime.
    const bool floor_on = defence_profile().time_floor;
    int64_t floor = floor_on ? cfg_.build_time : 0;
    if (d_.time_floor && floor_on) {
        if (auto stored = d_.time_floor->load()) floor = std::max(floor, *stored);
    }
    if (*now < floor)
        return done(Outcome::of(Verdict::NoValidTime,
                                "time source says " + utc_text(*now) + ", below this device's time floor " + utc_text(floor) +
                                    " (the latest trusted time it has seen: its build or a signed manifest); it updates "
                                    "again once its time source gives a time at or above the floor"));

    // 2-3. TLS + manifest
    std::string jws;
    Outcome o = fetch_manifest(jws, deadline, running);
    if (o.verdict == Verdict::NoUpdate) return done(unsigned_no_update(running));
    if (o.verdict != Verdict::Updated) return done(o);
    if (names_freshness_typ(jws)) return done(accept_freshness(jws, running));

    phase(UpdatePhase::VerifyingManifest);
    DeviceContext ctx;
    ctx.product = cfg_.product;
    ctx.device_id = cfg_.device_id;
    ctx.running_version = *running_version;
    ctx.min_secure_version = std::max(d_.fuses.min_secure_version(), running.secure_version);
    ctx.slot_size = target->size;
    ctx.now = d_.time.unix_time();
    ctx.highest = d_.counters.load();
    ManifestResult mr = verify_manifest(jws, *d_.signing_key, ctx);
    res.manifest = mr.manifest;
    // A verified signature makes issued_at a trusted time: raise the floor to it, but never past
    // the device's own clock (a manifest issued up to kClockSkewSeconds ahead is accepted).
    if (mr.manifest && d_.time_floor && ctx.now && mr.outcome.verdict != Verdict::ManifestNotYetValid) {
        int64_t seen = std::min(mr.manifest->issued_at, *ctx.now);
        auto stored = d_.time_floor->load();
        if ((!stored || seen > *stored) && !d_.time_floor->raise(seen))
            return done(Outcome::of(Verdict::FlashError, "cannot persist the time floor"));
    }
    if (!mr.accepted()) return done(mr.outcome);
    const Manifest& m = *mr.manifest;
    if (cfg_.rolled_back && (m.version == cfg_.rolled_back->version ||
                             crypto::constant_time_equal(m.sha256.data(), cfg_.rolled_back->sha256.data(), 32))) {
        // Checked after the signature, so a forged manifest cannot tell what failed here.
        return done(Outcome::of(Verdict::VersionRolledBack,
                                "version " + cfg_.rolled_back->version + " (image sha256 " +
                                    sha256_hex(cfg_.rolled_back->sha256).substr(0, 16) +
                                    "...) was rolled back on this device; publish a newer version"));
    }
    if (defence_profile().anti_replay && (!ctx.highest || m.counter > ctx.highest->counter)) {
        if (!d_.counters.store(CounterRecord{m.counter, m.version}))
            return done(Outcome::of(Verdict::FlashError, "cannot persist the manifest counter"));
    }

    // 4-5. image
    o = download(m, *target, res, deadline);
    if (o.verdict != Verdict::Updated) {
        d_.ota.abort();
        return done(o);
    }
    // 6. activate
    phase(UpdatePhase::Activating);
    OtaError e = d_.ota.set_boot_partition(*target);
    if (e != OtaError::Ok) return done(Outcome::of(verdict_of(e), "set_boot_partition: " + d_.ota.last_error()));
    return done(Outcome::of(Verdict::Updated, "version " + m.version + " in " + target->label + ", boots next"));
}

Outcome UpdateEngine::download(const Manifest& m, const PartitionEntry& target, UpdateResult& res, uint64_t deadline) {
    phase(UpdatePhase::Downloading);
    // An encrypted release (manifest v2) streams its served file through the decrypting stage;
    // `wire_size` is what travels, m.size what reaches the slot.
    if (m.encrypted) {
        Outcome k = check_decryption_key(m);
        if (!k.ok()) return k;
    }
    const uint32_t wire_size = m.encrypted ? m.encrypted_size : m.size;
    // What the device takes at most: the signed size, or, in a lab build without the size check,
    // whatever fits the slot.
    const uint32_t take_limit = !m.encrypted && !defence_profile().size_check ? target.size : wire_size;
    // UPDATE_SIZE_UNKNOWN, as a sketch without the size check calls Update.begin().
    OtaError e = d_.ota.begin(target, take_limit == wire_size ? m.size : OtaOps::kSizeUnknown);
    if (e != OtaError::Ok) return Outcome::of(verdict_of(e), "begin: " + d_.ota.last_error());

    auto hash = std::make_unique<secure_ota::crypto::Sha256>();
    std::vector<uint8_t> head;  // first kHeadCopy bytes: header + app descriptor
    head.reserve(kHeadCopy);
    uint32_t offset = 0;        // bytes of the served file accepted so far
    // Progress: the first bytes, then at most every max(4 KiB, 1 %) of the image and at most once
    // per kProgressGapMs, except that each tenth of the image and the end always report. On an
    // ESP32's link (tens of KiB/s) that is still one line per percent; on the virtual board's
    // host-speed link it is about a dozen lines instead of a hundred serial lines and journal
    // events per MiB, which cost more than the download itself.
    constexpr uint64_t kProgressGapMs = 50;
    const uint32_t progress_step = std::max<uint32_t>(4096, wire_size / 100);
    const uint32_t progress_tenth = std::max<uint32_t>(progress_step, wire_size / 10);
    uint32_t last_progress = 0;
    bool progress_sent = false;
    uint64_t last_progress_ms = 0;
    uint32_t attempts = 0;

    // The plain image path: into the slot, hashed, header kept. Fed by the network directly, or
    // by the decrypting stage.
    auto write_plain = [&](const uint8_t* p, size_t n) {
        OtaError we = d_.ota.write(p, n);
        if (we != OtaError::Ok) return Outcome::of(verdict_of(we), "write: " + d_.ota.last_error());
        hash->update(p, n);
        if (head.size() < kHeadCopy) {
            size_t k = std::min(n, kHeadCopy - head.size());
            head.insert(head.end(), p, p + k);
        }
        return Outcome::of(Verdict::Updated);
    };
    std::unique_ptr<EncryptedImageStage> decrypting;
    if (m.encrypted)
        decrypting = std::make_unique<EncryptedImageStage>(
            *d_.decryption_key, EncryptedImageExpectation{m.size, m.encrypted_size, m.encrypted_sha256}, write_plain);

    for (;;) {
        if (offset == wire_size) break;
        uint32_t t = timeout_until(deadline, cfg_.connect_timeout_ms);
        if (t == 0) return Outcome::of(Verdict::Timeout, "total deadline reached after " + std::to_string(offset) + " bytes");
        ConnectResult c = d_.connector.connect(cfg_.server_host, cfg_.server_port, t);
        Outcome step = Outcome::of(Verdict::Updated);
        bool retryable = false;
        if (!c.stream) {
            step = c.failure;
            // A rogue or misconfigured server mid-update is a refusal, not a glitch.
            retryable = c.failure.verdict == Verdict::ConnectFailed || c.failure.verdict == Verdict::TlsHandshakeFailed ||
                        c.failure.verdict == Verdict::Timeout;
        } else {
            if (d_.observer) d_.observer->on_connected("image", c.resumed);
            HttpRequest req;
            req.host = cfg_.server_host;
            req.port = cfg_.server_port;
            req.target = m.url;
            req.headers.emplace_back("Authorization", "Bearer " + cfg_.api_key);
            // The open-ended form (RFC 9110 14.1.2), as docs/ota-verdicts.md documents it.
            if (offset > 0) req.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
            const uint32_t start = offset;
            Outcome refused = Outcome::of(Verdict::Updated);
            HeadCheck check = [&](const HttpResponseHead& h) {
                const uint64_t want = wire_size - start;
                if (h.status == 401 || h.status == 403) {
                    refused = Outcome::of(Verdict::AuthRejected, "image request answered " + std::to_string(h.status));
                    return false;
                }
                if (start == 0 ? h.status != 200 : h.status != 206) {
                    refused = Outcome::of(Verdict::ServerError, "image request answered " + std::to_string(h.status) +
                                                                    (start ? " to a Range request" : ""));
                    return false;
                }
                // A build without the size check (lab only) takes whatever length the server announces.
                if ((!h.content_length || *h.content_length != want) && (m.encrypted || defence_profile().size_check)) {
                    // For an encrypted file, fewer bytes than signed is a truncated file.
                    const Verdict v = !m.encrypted ? Verdict::SizeMismatch
                                      : h.content_length && *h.content_length < want ? Verdict::DecryptTruncated
                                                                                     : Verdict::DecryptSizeMismatch;
                    refused = Outcome::of(v, "server announces " +
                                                                     (h.content_length ? std::to_string(*h.content_length) : std::string("no")) +
                                                                     " bytes, manifest needs " + std::to_string(want));
                    return false;
                }
                if (start > 0) {
                    ContentRange cr;
                    const std::string* v = h.header("content-range");
                    if (!v || !parse_content_range(*v, cr) || cr.first != start || cr.last != wire_size - 1u || cr.total != wire_size) {
                        refused = Outcome::of(Verdict::SizeMismatch, "Content-Range \"" + (v ? v->substr(0, 60) : std::string()) +
                                                                         "\" does not match the requested range");
                        return false;
                    }
                }
                return true;
            };
            BodySink sink = [&](const uint8_t* p, size_t n) {
                if (n > take_limit - offset) {  // cannot happen with the checks above; kept as a hard bound
                    refused = Outcome::of(m.encrypted ? Verdict::DecryptSizeMismatch : Verdict::SizeMismatch,
                                          "more bytes than the manifest's size");
                    return false;
                }
                Outcome w = decrypting ? decrypting->accept(p, n) : write_plain(p, n);
                if (!w.ok()) {
                    refused = Outcome::of(w.verdict, w.detail + " (at " + std::to_string(offset) + ")");
                    return false;
                }
                offset += uint32_t(n);
                res.image_bytes_written = offset;
                res.image_bytes_received += n;
                const bool at_end = offset == wire_size;
                if (d_.observer && (at_end || offset - last_progress >= progress_step)) {
                    const uint64_t now = d_.clock.monotonic_ms();
                    if (at_end || !progress_sent || now - last_progress_ms >= kProgressGapMs ||
                        offset / progress_tenth != last_progress / progress_tenth) {
                        progress_sent = true;
                        last_progress = offset;
                        last_progress_ms = now;
                        d_.observer->on_progress(offset, std::max(offset, wire_size));  // more only in a build without the size check
                    }
                }
                return true;
            };
            ++res.image_requests;
            HttpClient http(d_.clock, cfg_.http);
            HttpResult r = http.exchange(*c.stream, req, take_limit - start, sink, deadline, check);
            c.stream->close();
            bytes_after_body_ += r.bytes_after_body;
            if (refused.verdict != Verdict::Updated) return refused;
            if (r.ok()) {
                if (offset != wire_size && !m.encrypted && !defence_profile().size_check) break;  // lab: any length
                if (offset != wire_size)
                    return Outcome::of(m.encrypted ? Verdict::DecryptTruncated : Verdict::SizeMismatch,
                                       "transfer ended at " + std::to_string(offset));
                break;
            }
            step = http_failure(r, "image download");
            // A read that stalled or a connection that dropped is resumable; a deadline is not.
            retryable = (r.error == HttpError::ConnectionLost || r.error == HttpError::Timeout) && d_.clock.monotonic_ms() < deadline;
            if (r.error == HttpError::TooLarge) step = Outcome::of(Verdict::SizeMismatch, step.detail);
        }
        if (!retryable || attempts >= cfg_.max_resumes) {
            if (retryable) step.detail += " (after " + std::to_string(attempts) + " resumes)";
            return step;
        }
        ++attempts;
        ++res.resumes;
        if (decrypting) {
            // GCM cannot rewind: the stage (GCM context, both hashes, the slot's write position)
            // continues at the exact byte where the served file stopped.
            if (d_.observer) d_.observer->on_resume(offset, attempts);
            continue;
        }
        // Resume from the last flash-aligned offset: re-hash what is already in the slot.
        uint32_t resume = d_.ota.resume_offset();
        if (d_.ota.resume_from(resume) != OtaError::Ok)
            return Outcome::of(Verdict::InternalError, "resume_from: " + d_.ota.last_error());
        hash = std::make_unique<secure_ota::crypto::Sha256>();
        if (resume > 0) {
            if (head.size() < OtaOps::kHeldBackBytes) return Outcome::of(Verdict::InternalError, "lost the held-back header");
            hash->update(head.data(), OtaOps::kHeldBackBytes);  // still in RAM, not in flash
            uint8_t buf[1024];
            for (uint32_t at = OtaOps::kHeldBackBytes; at < resume;) {
                uint32_t n = std::min<uint32_t>(sizeof buf, resume - at);
                if (d_.flash.read(target.offset + at, buf, n) != FlashStatus::Ok)
                    return Outcome::of(Verdict::FlashError, "cannot read back the written prefix");
                hash->update(buf, n);
                at += n;
            }
        }
        if (head.size() > resume) head.resize(resume);
        offset = resume;
        res.image_bytes_written = resume;
        last_progress = std::min(last_progress, resume);
        if (d_.observer) d_.observer->on_resume(resume, attempts);
    }

    phase(UpdatePhase::VerifyingImage);
    if (decrypting) {
        Outcome f = decrypting->finish();  // all bytes, tag, encrypted-file hash
        if (!f.ok()) return f;
        res.image_decrypted = true;
    }
    return finish_image(m, target, head, hash->finish());
}

Outcome UpdateEngine::check_decryption_key(const Manifest& m) const {
    if (!d_.decryption_key)
        return Outcome::of(Verdict::DecryptWrongKey, "the release is encrypted (" + m.encryption_scheme + ", key " +
                                                         m.encryption_key_id + ") and this device has no decryption key");
    if (d_.decryption_key->key_id() != m.encryption_key_id || m.encryption_scheme != crypto::to_string(d_.decryption_key->scheme()))
        return Outcome::of(Verdict::DecryptWrongKey, "the release is encrypted for key " + m.encryption_key_id + " (" +
                                                         m.encryption_scheme + "), this device holds " + d_.decryption_key->key_id() +
                                                         " (" + crypto::to_string(d_.decryption_key->scheme()) + ")");
    return Outcome::of(Verdict::Updated);
}

Outcome UpdateEngine::finish_image(const Manifest& m, const PartitionEntry& target, const std::vector<uint8_t>& head,
                                   const secure_ota::crypto::Sha256Digest& digest) {
    (void)target;
    // A build without the hash check (lab only) installs what it downloaded; OtaOps::end() still
    // checks the image's own format, checksum and appended SHA-256, as esp_ota_end() does.
    if (defence_profile().hash && !crypto::constant_time_equal(digest.data(), m.sha256.data(), digest.size()))
        return Outcome::of(Verdict::HashMismatch, "SHA-256 of the received image differs from the signed manifest");
    if (head.size() < kHeadCopy) return Outcome::of(Verdict::ImageInvalid, "image too short for a header and app descriptor");
    if (head[0] != kImageMagic) return Outcome::of(Verdict::ImageInvalid, "bad image magic");
    uint16_t chip = uint16_t(head[12] | (head[13] << 8));
    if (chip != cfg_.chip_id)
        return Outcome::of(Verdict::ImageInvalid, "image is for chip id " + std::to_string(chip) + ", this is " + std::to_string(cfg_.chip_id));
    auto desc = AppDescriptor::parse(head.data() + AppDescriptor::kImageOffset);
    if (!desc) return Outcome::of(Verdict::ImageInvalid, "no esp_app_desc_t at offset 0x20");
    if (desc->version != m.version)
        return Outcome::of(Verdict::VersionMismatch, "image says version \"" + desc->version.substr(0, 32) + "\", manifest " + m.version);
    if (desc->secure_version != m.secure_version)
        return Outcome::of(Verdict::VersionMismatch, "image secure_version " + std::to_string(desc->secure_version) +
                                                         ", manifest " + std::to_string(m.secure_version));
    // The product is the image's own claim too: a correctly signed image of another product
    // (its project_name) would boot, fail its self-test and roll back; refuse it before end(),
    // so nothing is activated.
    if (desc->project_name != cfg_.product)
        return Outcome::of(Verdict::ImageWrongProduct, "image project_name \"" + desc->project_name.substr(0, 32) +
                                                           "\", this device is \"" + cfg_.product + "\"");
    // Full verification (segments, checksum, appended SHA-256, chip) happens in end(), which
    // writes the held-back header only if the whole image is valid.
    OtaError e = d_.ota.end();
    if (e != OtaError::Ok) return Outcome::of(verdict_of(e), "end: " + d_.ota.last_error());
    return Outcome::of(Verdict::Updated);
}

std::string UpdateEngine::report_json(const UpdateResult& r, const RunningApp& running) const {
    // The server's schema (issue 5, DeviceReports): "event" in downloading|verified|installed|
    // refused|booted|rolled_back, "version" (semver), "reason" (<= 256 chars, required for
    // refused), "total". "bytes_written" (image bytes now in the slot, at most total) and
    // "bytes_received" (every image byte that arrived, re-sent ones after a resume included)
    // replace the old "bytes", which could exceed "total" after a resume.
    const bool installed = r.outcome.verdict == Verdict::Updated;
    std::string why = std::string(to_string(r.outcome.verdict)) + ": " + r.outcome.detail;
    if (why.size() > 200) {
        size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(why[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 sequences
        why.resize(cut);
    }
    std::string j = "{\"event\":\"" + std::string(installed ? "installed" : "refused") + "\"";
    if (r.manifest) j += ",\"version\":\"" + json_escape(r.manifest->version) + "\"";
    if (!installed) j += ",\"reason\":\"" + json_escape(why) + "\"";
    // Counts of what travelled: the served file, 512 bytes more than the image when encrypted.
    j += ",\"bytes_written\":" + std::to_string(r.image_bytes_written) + ",\"bytes_received\":" +
         std::to_string(r.image_bytes_received);
    if (r.manifest) j += ",\"total\":" + std::to_string(r.manifest->encrypted ? r.manifest->encrypted_size : r.manifest->size);
    if (r.manifest && r.manifest->encrypted) j += ",\"encrypted\":true";
    j += ",\"verdict\":\"" + std::string(to_string(r.outcome.verdict)) + "\",\"detail\":\"" + json_escape(r.outcome.detail) +
         "\",\"device\":\"" + json_escape(cfg_.device_id) + "\",\"product\":\"" + json_escape(cfg_.product) +
         "\",\"running_version\":\"" + json_escape(running.version) + "\"";
    if (r.manifest) j += ",\"counter\":" + std::to_string(r.manifest->counter);
    j += ",\"resumes\":" + std::to_string(r.resumes) + "}";
    return j;
}

std::string UpdateEngine::rollback_report_json(const RolledBackImage& image, const RunningApp& running) const {
    std::string why = image.reason.empty() ? std::string("the image never confirmed itself and was rolled back") : image.reason;
    why = "rolled back to " + running.version + ": " + why;
    if (why.size() > 200) why.resize(200);  // ASCII: slot labels and versions only
    return "{\"event\":\"rolled_back\",\"version\":\"" + json_escape(image.version) + "\",\"reason\":\"" + json_escape(why) +
           "\",\"sha256\":\"" + sha256_hex(image.sha256) + "\",\"device\":\"" + json_escape(cfg_.device_id) +
           "\",\"product\":\"" + json_escape(cfg_.product) + "\",\"running_version\":\"" + json_escape(running.version) + "\"}";
}

Outcome UpdateEngine::report_rollback(const RolledBackImage& image, const RunningApp& running) {
    return post_report(rollback_report_json(image, running));
}

Outcome UpdateEngine::report(const UpdateResult& result, const RunningApp& running) {
    return post_report(report_json(result, running));
}

Outcome UpdateEngine::post_report(const std::string& json) {
    uint64_t deadline = d_.clock.monotonic_ms() + cfg_.connect_timeout_ms + cfg_.http.read_timeout_ms;
    ConnectResult c = d_.connector.connect(cfg_.server_host, cfg_.server_port, cfg_.connect_timeout_ms);
    if (!c.stream) return c.failure;
    if (d_.observer) d_.observer->on_connected("report", c.resumed);
    HttpRequest req;
    req.method = "POST";
    req.host = cfg_.server_host;
    req.port = cfg_.server_port;
    req.target = "/api/v1/devices/" + url_encode_component(cfg_.device_id) + "/report";
    req.headers.emplace_back("Authorization", "Bearer " + cfg_.api_key);
    req.content_type = "application/json";
    req.body = json;
    HttpClient http(d_.clock, cfg_.http);
    HttpResult r = http.exchange(*c.stream, req, 4096, BodySink{}, deadline);
    c.stream->close();
    if (!r.ok()) return http_failure(r, "report");
    if (r.head.status < 200 || r.head.status >= 300)
        return Outcome::of(r.head.status == 401 || r.head.status == 403 ? Verdict::AuthRejected : Verdict::ServerError,
                           "report answered " + std::to_string(r.head.status));
    return Outcome::of(Verdict::Updated);
}

}  // namespace secure_ota::ota
