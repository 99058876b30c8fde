// A small, bounded JSON reader for what the OTA engine receives: one flat object whose
// values are strings, integers, booleans or null (the JWS header and the manifest payload).
// RFC 8259 syntax, with deliberate refusals:
//  - nesting (objects or arrays as values) is refused: depth limit 1;
//  - numbers must be integers (no fraction, no exponent) that fit in int64_t;
//  - duplicate keys are refused (RFC 8259 leaves them undefined; JWS RFC 7515 4 says reject);
//  - strings must be valid UTF-8, with no raw control characters and no \u0000;
//  - anything but whitespace after the object is refused.
// The reader only ever indexes inside [data, data + length); it never needs a terminator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace secure_ota::ota {

struct JsonLimits {
    size_t max_input = 4096;    // bytes of JSON text
    size_t max_members = 32;    // key/value pairs
    size_t max_key = 64;        // bytes of one key (decoded)
    size_t max_string = 1024;   // bytes of one string value (decoded)
};

enum class JsonError {
    Ok,
    TooLarge,      // input, member count, key or string over its limit
    Syntax,        // not JSON, or not an object at top level
    Nested,        // an object or array as a value
    BadString,     // invalid escape, control character, invalid UTF-8, \u0000
    BadNumber,     // fraction, exponent, leading zero, overflow
    DuplicateKey,
    Trailing,      // non-whitespace after the object
};

const char* to_string(JsonError e);

struct JsonValue {
    enum class Type { String, Integer, Bool, Null };
    Type type = Type::Null;
    std::string string;
    int64_t integer = 0;
    bool boolean = false;
};

class JsonObject {
public:
    const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
    const JsonValue* find(const std::string& key) const;
    // Typed lookups: false when the key is absent or has another type.
    bool get_string(const std::string& key, std::string& out) const;
    bool get_int(const std::string& key, int64_t& out) const;
    bool get_bool(const std::string& key, bool& out) const;

private:
    friend class JsonParser;
    std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses `length` bytes at `data`. On error `out` is left empty and, if non-null,
// `error_offset` receives the byte offset where parsing stopped.
JsonError parse_flat_json_object(const char* data, size_t length, JsonObject& out,
                                 const JsonLimits& limits = JsonLimits{}, size_t* error_offset = nullptr);

}  // namespace secure_ota::ota
