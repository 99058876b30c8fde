#include "secure_ota/ota/update_agent.h"

#include "secure_ota/ota/provisioning.h"
#include "secure_ota/ota/telemetry_observer.h"
#include "secure_ota/telemetry.h"

namespace secure_ota::ota {

#ifndef SECURE_OTA_SOURCE_EPOCH
#define SECURE_OTA_SOURCE_EPOCH 0
#endif

int64_t firmware_build_time(const AppDescriptor& self) {
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string& d = self.date;
    const std::string& t = self.time;
    auto digits = [](const std::string& s, size_t at, size_t n, int& out) {
        out = 0;
        for (size_t i = at; i < at + n; ++i) {
            char c = s[i];
            if (c == ' ' && i == at) continue;  // __DATE__ pads the day with a space
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        return true;
    };
    int month = 0, day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    if (d.size() == 11 && t.size() == 8 && t[2] == ':' && t[5] == ':') {
        for (int i = 0; i < 12; ++i)
            if (d.compare(0, 3, kMonths[i]) == 0) month = i + 1;
        if (month && digits(d, 4, 2, day) && digits(d, 7, 4, year) && digits(t, 0, 2, hh) && digits(t, 3, 2, mm) &&
            digits(t, 6, 2, ss) && day >= 1 && day <= 31 && hh < 24 && mm < 60 && ss < 61) {
            // days_from_civil (Howard Hinnant)
            int y = year - (month <= 2);
            int era = (y >= 0 ? y : y - 399) / 400;
            int yoe = y - era * 400;
            int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
            int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            int64_t days = int64_t(era) * 146097 + doe - 719468;
            return days * 86400 + hh * 3600 + mm * 60 + ss;
        }
    }
    return int64_t(SECURE_OTA_SOURCE_EPOCH);
}

OtaUpdateAgent::OtaUpdateAgent(Firmware& firmware, Board& board, Port port)
    : fw_(firmware), board_(board), port_(std::move(port)), clock_(board.clock()) {
    if (!port_.restart) port_.restart = [this](const std::string& why) { fw_.restart(why); };
    if (!port_.rollbacks) port_.rollbacks = &ram_rollbacks_;
    if (!port_.time_floor) port_.time_floor = &ram_time_floor_;
    if (!port_.freshness) port_.freshness = &ram_freshness_;
}

std::optional<RolledBackImage> OtaUpdateAgent::remember_rollback() {
    std::optional<RolledBackImage> known = port_.rollbacks->load();
    const OtaOps& ops = *fw_.ota_ops();
    std::optional<RolledBackImage> found =
        find_rolled_back_image(board_.flash(), ops.table(), ops.running_partition(), board_.chip_id());
    if (found && !found->marked_invalid) {
        // ABORTED: the image never confirmed itself. Why this boot happened tells whether that
        // says something against it: a panic or a watchdog reset is the image crashing or hanging
        // in its self-test (it counts, like a failed self-test); a power cut, the EN button or a
        // software restart says nothing. Judged once, at the first check after that boot; the
        // verdict is kept (a later boot's reason is about the running app, not the image).
        const bool judged = known && known->version == found->version && known->sha256 == found->sha256;
        const ResetReason why = board_.reset_reason();
        if (judged && known->marked_invalid) {
            found = known;
        } else if (!judged && (why == ResetReason::Panic || why == ResetReason::TaskWatchdog)) {
            found->marked_invalid = true;
            found->reason = std::string("crashed before confirming itself (") + to_string(why) + " reset); " + found->reason;
        }
    }
    if (found && !(known && known->same_rollback(*found))) {
        fw_.telemetry().log("OTA: " + found->version + " was rolled back (" + found->reason + "); " +
                            (found->marked_invalid ? "it will not be installed again" : "it may be offered again"));
        if (!port_.rollbacks->store(*found))
            fw_.telemetry().log("OTA: cannot persist the rolled-back version; it is remembered until the next boot");
        known = found;
    }
    return known;
}

void OtaUpdateAgent::set_limits(uint32_t total_timeout_ms, uint32_t max_resumes, uint32_t read_timeout_ms) {
    total_timeout_ms_ = total_timeout_ms;
    max_resumes_ = max_resumes;
    read_timeout_ms_ = read_timeout_ms;
}

void OtaUpdateAgent::finish(const UpdateResult& r, const RunningApp& running, UpdateEngine* engine) {
    if (r.bytes_after_body > 0)
        fw_.telemetry().log("OTA: the server sent " + std::to_string(r.bytes_after_body) +
                            " byte(s) after the Content-Length of a response; they were ignored");
    last_ = r;
    send_image_transport(fw_.telemetry(), r);  // how the image travelled, before the verdict
    send_verdict(fw_.telemetry(), r);
    LcdAlert a = lcd_lines(r, fw_.lcd_language());
    if (!a.line1.empty()) {
        fw_.lcd().show(a.line1, a.line2);
        fw_.hold_display();
    }
    if (engine && r.outcome.verdict != Verdict::NotProvisioned && r.outcome.verdict != Verdict::NoValidTime) {
        // Best effort, over a new connection; TLS refusals are not retried against a rogue server.
        const Verdict v = r.outcome.verdict;
        const bool transport_refused = v == Verdict::TlsCertUntrusted || v == Verdict::TlsHostnameMismatch ||
                                       v == Verdict::TlsCertExpired || v == Verdict::TlsCertNotYetValid ||
                                       v == Verdict::TlsProtocol || v == Verdict::TlsHandshakeFailed ||
                                       v == Verdict::ConnectFailed;
        if (!transport_refused) {
            // The server hears of a rollback once, before the outcome of this check.
            std::optional<RolledBackImage> rb = port_.rollbacks->load();
            if (rb && !rb->reported) {
                Outcome o = engine->report_rollback(*rb, running);
                if (o.verdict == Verdict::Updated) {
                    rb->reported = true;
                    port_.rollbacks->store(*rb);
                } else {
                    fw_.telemetry().log(std::string("OTA: rollback report not delivered: ") + to_string(o.verdict) + " " + o.detail);
                }
            }
        }
        if (!transport_refused && r.outcome.verdict != Verdict::NoUpdate) {
            Outcome o = engine->report(r, running);
            if (o.verdict != Verdict::Updated)
                fw_.telemetry().log(std::string("OTA: report not delivered: ") + to_string(o.verdict) + " " + o.detail);
        }
    }
}

void OtaUpdateAgent::check_now() {
    if (busy_) {
        fw_.telemetry().ota_verdict(to_string(Verdict::Busy), reason(Verdict::Busy), "");
        return;
    }
    busy_ = true;
    RunningApp running{fw_.self().version, fw_.self().secure_version};
    UpdateResult r;
    std::string err;
    const FactoryData* fd = fw_.factory_data();
    std::optional<OtaProvisioning> prov;
    if (fd) prov = provisioning_from_factory_data(*fd, board_.chip_id(), err);
    if (!prov) {
        r.outcome = Outcome::of(Verdict::NotProvisioned, fd ? err : "no factory data");
        finish(r, running, nullptr);
        busy_ = false;
        return;
    }
    if (!fw_.ota_ops()) {
        r.outcome = Outcome::of(Verdict::InternalError, "OTA operations unavailable (firmware not set up)");
        finish(r, running, nullptr);
        busy_ = false;
        return;
    }
    std::unique_ptr<Connector> connector = port_.make_connector(prov->ca_pem, port_.time);
    prov->config.total_timeout_ms = total_timeout_ms_;
    prov->config.max_resumes = max_resumes_;
    prov->config.http.read_timeout_ms = read_timeout_ms_;
    std::optional<RolledBackImage> rolled_back = remember_rollback();
    if (rolled_back && rolled_back->marked_invalid) prov->config.rolled_back = rolled_back;
    prov->config.build_time = firmware_build_time(fw_.self());
    TelemetryUpdateObserver observer(fw_.telemetry());
    UpdateEngine::Deps deps{*connector, clock_, port_.time, *fw_.ota_ops(), board_.flash(), board_.secure_version_store(),
                            port_.counters, prov->signing_key.get(), &observer, prov->decryption_key.get(),
                            port_.time_floor, port_.freshness};
    UpdateEngine engine(deps, prov->config);
    fw_.lcd().show(lcd_text(LcdText::Update, fw_.lcd_language()), lcd_text(LcdText::Checking, fw_.lcd_language()));
    r = engine.run(running);
    finish(r, running, &engine);
    busy_ = false;
    if (r.outcome.verdict == Verdict::Updated) port_.restart("update to " + r.manifest->version + " installed");
    else if (r.outcome.verdict == Verdict::NoUpdate) {
        fw_.lcd().show(lcd_text(LcdText::UpToDate, fw_.lcd_language()), "v" + running.version);
        fw_.hold_display();
    }
}

}  // namespace secure_ota::ota
