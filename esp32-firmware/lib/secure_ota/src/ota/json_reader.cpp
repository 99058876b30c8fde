#include "secure_ota/ota/json_reader.h"

#include <limits>

namespace secure_ota::ota {

const char* to_string(JsonError e) {
    switch (e) {
        case JsonError::Ok: return "ok";
        case JsonError::TooLarge: return "over a size limit";
        case JsonError::Syntax: return "syntax error";
        case JsonError::Nested: return "nested object or array";
        case JsonError::BadString: return "invalid string";
        case JsonError::BadNumber: return "invalid number (integers only)";
        case JsonError::DuplicateKey: return "duplicate key";
        case JsonError::Trailing: return "trailing data after the object";
    }
    return "unknown";
}

const JsonValue* JsonObject::find(const std::string& key) const {
    for (const auto& m : members_)
        if (m.first == key) return &m.second;
    return nullptr;
}

bool JsonObject::get_string(const std::string& key, std::string& out) const {
    const JsonValue* v = find(key);
    if (!v || v->type != JsonValue::Type::String) return false;
    out = v->string;
    return true;
}

bool JsonObject::get_int(const std::string& key, int64_t& out) const {
    const JsonValue* v = find(key);
    if (!v || v->type != JsonValue::Type::Integer) return false;
    out = v->integer;
    return true;
}

bool JsonObject::get_bool(const std::string& key, bool& out) const {
    const JsonValue* v = find(key);
    if (!v || v->type != JsonValue::Type::Bool) return false;
    out = v->boolean;
    return true;
}

class JsonParser {
public:
    JsonParser(const char* data, size_t length, const JsonLimits& limits)
        : p_(reinterpret_cast<const unsigned char*>(data)), n_(length), limits_(limits) {}

    JsonError parse(JsonObject& out) {
        if (n_ > limits_.max_input) return JsonError::TooLarge;
        skip_ws();
        if (!eat('{')) return JsonError::Syntax;
        skip_ws();
        if (eat('}')) return finish();
        for (;;) {
            if (out.members_.size() >= limits_.max_members) return JsonError::TooLarge;
            if (peek() != '"') return JsonError::Syntax;
            std::string key;
            JsonError e = parse_string(key, limits_.max_key);
            if (e != JsonError::Ok) return e;
            for (const auto& m : out.members_)
                if (m.first == key) return JsonError::DuplicateKey;
            skip_ws();
            if (!eat(':')) return JsonError::Syntax;
            skip_ws();
            JsonValue value;
            e = parse_value(value);
            if (e != JsonError::Ok) return e;
            out.members_.emplace_back(std::move(key), std::move(value));
            skip_ws();
            if (eat(',')) {
                skip_ws();
                continue;
            }
            if (eat('}')) return finish();
            return JsonError::Syntax;
        }
    }

    size_t offset() const { return i_; }

private:
    bool at_end() const { return i_ >= n_; }
    int peek() const { return at_end() ? -1 : p_[i_]; }
    bool eat(unsigned char c) {
        if (!at_end() && p_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void skip_ws() {
        while (!at_end() && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
    }
    JsonError finish() {
        skip_ws();
        return at_end() ? JsonError::Ok : JsonError::Trailing;
    }
    bool literal(const char* word) {
        size_t k = 0;
        for (; word[k]; ++k)
            if (i_ + k >= n_ || p_[i_ + k] != static_cast<unsigned char>(word[k])) return false;
        i_ += k;
        return true;
    }

    JsonError parse_value(JsonValue& v) {
        int c = peek();
        if (c == '"') {
            v.type = JsonValue::Type::String;
            return parse_string(v.string, limits_.max_string);
        }
        if (c == '{' || c == '[') return JsonError::Nested;
        if (c == '-' || (c >= '0' && c <= '9')) {
            v.type = JsonValue::Type::Integer;
            return parse_integer(v.integer);
        }
        if (literal("true")) {
            v.type = JsonValue::Type::Bool;
            v.boolean = true;
            return JsonError::Ok;
        }
        if (literal("false")) {
            v.type = JsonValue::Type::Bool;
            v.boolean = false;
            return JsonError::Ok;
        }
        if (literal("null")) {
            v.type = JsonValue::Type::Null;
            return JsonError::Ok;
        }
        return JsonError::Syntax;
    }

    JsonError parse_integer(int64_t& out) {
        bool negative = eat('-');
        if (at_end() || p_[i_] < '0' || p_[i_] > '9') return JsonError::BadNumber;
        if (p_[i_] == '0' && i_ + 1 < n_ && p_[i_ + 1] >= '0' && p_[i_ + 1] <= '9') return JsonError::BadNumber;
        // Accumulate as a negative number so that INT64_MIN is representable.
        int64_t value = 0;
        const int64_t min = std::numeric_limits<int64_t>::min();
        while (!at_end() && p_[i_] >= '0' && p_[i_] <= '9') {
            int d = p_[i_] - '0';
            if (value < (min + d) / 10) return JsonError::BadNumber;
            value = value * 10 - d;
            ++i_;
        }
        if (!at_end() && (p_[i_] == '.' || p_[i_] == 'e' || p_[i_] == 'E')) return JsonError::BadNumber;
        if (!negative) {
            if (value == min) return JsonError::BadNumber;
            value = -value;
        }
        out = value;
        return JsonError::Ok;
    }

    static void put_utf8(std::string& s, uint32_t cp) {
        if (cp < 0x80) {
            s += char(cp);
        } else if (cp < 0x800) {
            s += char(0xC0 | (cp >> 6));
            s += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += char(0xE0 | (cp >> 12));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        } else {
            s += char(0xF0 | (cp >> 18));
            s += char(0x80 | ((cp >> 12) & 0x3F));
            s += char(0x80 | ((cp >> 6) & 0x3F));
            s += char(0x80 | (cp & 0x3F));
        }
    }

    bool hex4(uint32_t& out) {
        if (n_ - i_ < 4 || i_ > n_) return false;
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            unsigned char c = p_[i_ + k];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
            else return false;
        }
        i_ += 4;
        out = v;
        return true;
    }

    // One UTF-8 sequence starting at p_[i_] (first byte >= 0x80), validated per RFC 3629.
    bool copy_utf8(std::string& s) {
        unsigned char c = p_[i_];
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if (n_ - i_ < len) return false;
        for (size_t k = 1; k < len; ++k) {
            unsigned char cc = p_[i_ + k];
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        s.append(reinterpret_cast<const char*>(p_ + i_), len);
        i_ += len;
        return true;
    }

    JsonError parse_string(std::string& out, size_t max) {
        out.clear();
        if (!eat('"')) return JsonError::Syntax;
        for (;;) {
            if (at_end()) return JsonError::BadString;
            if (out.size() > max) return JsonError::TooLarge;
            unsigned char c = p_[i_];
            if (c == '"') {
                ++i_;
                return out.size() > max ? JsonError::TooLarge : JsonError::Ok;
            }
            if (c < 0x20) return JsonError::BadString;
            if (c >= 0x80) {
                if (!copy_utf8(out)) return JsonError::BadString;
                continue;
            }
            if (c != '\\') {
                out += char(c);
                ++i_;
                continue;
            }
            ++i_;
            if (at_end()) return JsonError::BadString;
            unsigned char e = p_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    uint32_t cp;
                    if (!hex4(cp)) return JsonError::BadString;
                    if (cp >= 0xDC00 && cp <= 0xDFFF) return JsonError::BadString;  // lone low surrogate
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        uint32_t lo;
                        if (!eat('\\') || !eat('u') || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF)
                            return JsonError::BadString;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    if (cp == 0) return JsonError::BadString;
                    put_utf8(out, cp);
                    break;
                }
                default: return JsonError::BadString;
            }
        }
    }

    const unsigned char* p_;
    size_t n_;
    size_t i_ = 0;
    const JsonLimits& limits_;
};

JsonError parse_flat_json_object(const char* data, size_t length, JsonObject& out, const JsonLimits& limits,
                                 size_t* error_offset) {
    out = JsonObject{};
    if (data == nullptr && length != 0) return JsonError::Syntax;
    JsonParser parser(data, length, limits);
    JsonError e = parser.parse(out);
    if (e != JsonError::Ok) {
        out = JsonObject{};
        if (error_offset) *error_offset = parser.offset();
    }
    return e;
}

}  // namespace secure_ota::ota
