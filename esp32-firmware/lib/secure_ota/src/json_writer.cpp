#include "secure_ota/json_writer.h"

#include <cstdio>

namespace secure_ota {

std::string JsonWriter::escape(const std::string& s) {
    std::string o = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\r': o += "\\r"; break;
            case '\t': o += "\\t"; break;
            default:
                if (c < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", c);
                    o += b;
                } else {
                    o += static_cast<char>(c);
                }
        }
    }
    return o + "\"";
}

void JsonWriter::comma() {
    if (need_comma_) out_ += ',';
    need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
    if (!out_.empty() && out_.back() != ':') comma();
    out_ += '{';
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::begin_array(const char* k) {
    if (k) key(k); else comma();
    out_ += '[';
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::end_array() {
    out_ += ']';
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::key(const char* k) {
    comma();
    out_ += escape(k);
    out_ += ':';
    need_comma_ = false;
    return *this;
}
JsonWriter& JsonWriter::str(const char* k, const std::string& v) {
    key(k);
    out_ += escape(v);
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::num(const char* k, int64_t v) {
    key(k);
    out_ += std::to_string(v);
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::boolean(const char* k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::null(const char* k) {
    key(k);
    out_ += "null";
    need_comma_ = true;
    return *this;
}
JsonWriter& JsonWriter::str(const std::string& v) {
    comma();
    out_ += escape(v);
    return *this;
}
JsonWriter& JsonWriter::num(int64_t v) {
    comma();
    out_ += std::to_string(v);
    return *this;
}

}  // namespace secure_ota
