// A tiny JSON object writer for telemetry lines: keys in insertion order, strings escaped
// per RFC 8259 (UTF-8 passes through, control characters become \u00XX). No allocation
// beyond the std::string it builds, so it also suits the ESP32.
#pragma once

#include <cstdint>
#include <string>

namespace secure_ota {

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array(const char* key = nullptr);
    JsonWriter& end_array();
    JsonWriter& key(const char* k);
    JsonWriter& str(const char* k, const std::string& v);
    JsonWriter& num(const char* k, int64_t v);
    JsonWriter& boolean(const char* k, bool v);
    JsonWriter& null(const char* k);
    // Array elements (no key).
    JsonWriter& str(const std::string& v);
    JsonWriter& num(int64_t v);
    const std::string& text() const { return out_; }

    static std::string escape(const std::string& s);

private:
    void comma();
    std::string out_;
    bool need_comma_ = false;
};

}  // namespace secure_ota
