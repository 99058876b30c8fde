// base64url (RFC 4648 section 5) as JWS uses it (RFC 7515): no padding, no whitespace.
// The decoder is strict: '=' padding, characters outside [A-Za-z0-9_-], a length of 1 mod 4
// and non-zero trailing bits (non-canonical encodings) are all rejected, so each byte
// string has exactly one accepted encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace secure_ota::ota {

std::string base64url_encode(const uint8_t* data, size_t length);
inline std::string base64url_encode(std::string_view s) {
    return base64url_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Appends to nothing: `out` is replaced. Returns false (and leaves `out` empty) on any error.
// `max_out` bounds the decoded size.
bool base64url_decode(std::string_view in, std::vector<uint8_t>& out, size_t max_out = 65536);

}  // namespace secure_ota::ota
