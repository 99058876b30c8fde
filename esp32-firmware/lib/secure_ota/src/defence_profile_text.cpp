#include "secure_ota/defence_profile.h"

namespace secure_ota {

std::string DefenceProfile::missing() const {
    std::string out;
    auto add = [&](bool present, const char* what) {
        if (present) return;
        if (!out.empty()) out += ", ";
        out += what;
    };
    add(pinning, "no certificate pinning");
    add(signature, "no manifest signature");
    add(hash, "no image hash");
    add(size_check, "no size check");
    add(anti_replay, "no anti-replay counter");
    add(anti_downgrade, "no anti-downgrade");
    add(time_floor, "no time floor");
    add(rollback, "no rollback");
    return out;
}

std::string DefenceProfile::lcd_line() const {
    if (!weakened()) return "";
    int off = !pinning + !signature + !hash + !size_check + !anti_replay + !anti_downgrade + !time_floor + !rollback;
    if (off > 1) return "NAIVE: NO CHECKS";
    if (!pinning) return "UNSAFE: NO PIN";
    if (!signature) return "UNSAFE: NO SIG";
    if (!hash) return "UNSAFE: NO HASH";
    if (!size_check) return "UNSAFE: NO SIZE";
    if (!anti_replay) return "UNSAFE: NO REPLAY";
    if (!anti_downgrade) return "UNSAFE: NO DOWNGR";
    if (!time_floor) return "UNSAFE: NO TFLOOR";
    return "UNSAFE: NO RB";
}

}  // namespace secure_ota
