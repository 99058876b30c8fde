#include "secure_ota/ota/update_agent.h"

#include "secure_ota/ota/provisioning.h"
#include "secure_ota/ota/telemetry_observer.h"

namespace secure_ota::ota {

OtaUpdateAgent::OtaUpdateAgent(Firmware& firmware, Board& board, Port port)
    : fw_(firmware), board_(board), port_(std::move(port)), clock_(board.clock()) {
    if (!port_.restart) port_.restart = [this](const std::string& why) { fw_.restart(why); };
    if (!port_.rollbacks) port_.rollbacks = &ram_rollbacks_;
}

std::optional<RolledBackImage> OtaUpdateAgent::remember_rollback() {
    std::optional<RolledBackImage> known = port_.rollbacks->load();
    const OtaOps& ops = *fw_.ota_ops();
    std::optional<RolledBackImage> found =
        find_rolled_back_image(board_.flash(), ops.table(), ops.running_partition(), board_.chip_id());
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
    last_ = r;
    if (r.manifest && r.manifest->encrypted && r.image_requests > 0)  // a human line: how the image travelled
        fw_.telemetry().log("OTA: the image travelled encrypted (" + r.manifest->encryption_scheme + ", key " +
                            r.manifest->encryption_key_id + ")");
    send_verdict(fw_.telemetry(), r);
    LcdAlert a = lcd_lines(r);
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
    TelemetryUpdateObserver observer(fw_.telemetry());
    UpdateEngine::Deps deps{*connector, clock_, port_.time, *fw_.ota_ops(), board_.flash(), board_.secure_version_store(),
                            port_.counters, prov->signing_key.get(), &observer, prov->decryption_key.get()};
    UpdateEngine engine(deps, prov->config);
    fw_.lcd().show("MISE A JOUR", "VERIFICATION...");
    r = engine.run(running);
    finish(r, running, &engine);
    busy_ = false;
    if (r.outcome.verdict == Verdict::Updated) port_.restart("update to " + r.manifest->version + " installed");
    else if (r.outcome.verdict == Verdict::NoUpdate) {
        fw_.lcd().show("A JOUR", "v" + running.version);
        fw_.hold_display();
    }
}

}  // namespace secure_ota::ota
