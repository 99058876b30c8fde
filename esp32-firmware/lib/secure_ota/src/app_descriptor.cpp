#include "secure_ota/app_descriptor.h"

#include <cstring>

#include "secure_ota/byte_order.h"

namespace secure_ota {
namespace {

void put_str(uint8_t* dst, size_t field, const std::string& s) {
    std::memset(dst, 0, field);
    std::memcpy(dst, s.data(), std::min(s.size(), field - 1));  // always NUL terminated
}

std::string get_str(const uint8_t* src, size_t field) {
    return std::string(reinterpret_cast<const char*>(src), strnlen(reinterpret_cast<const char*>(src), field));
}

}  // namespace

std::array<uint8_t, AppDescriptor::kSize> AppDescriptor::serialize() const {
    std::array<uint8_t, kSize> out{};
    store_le32(out.data(), kMagic);
    store_le32(out.data() + 4, secure_version);
    put_str(out.data() + 16, 32, version);
    put_str(out.data() + 48, 32, project_name);
    put_str(out.data() + 80, 16, time);
    put_str(out.data() + 96, 16, date);
    put_str(out.data() + 112, 32, idf_ver);
    std::memcpy(out.data() + 144, app_elf_sha256.data(), 32);
    return out;
}

std::optional<AppDescriptor> AppDescriptor::parse(const uint8_t* b) {
    if (load_le32(b) != kMagic) return std::nullopt;
    AppDescriptor d;
    d.secure_version = load_le32(b + 4);
    d.version = get_str(b + 16, 32);
    d.project_name = get_str(b + 48, 32);
    d.time = get_str(b + 80, 16);
    d.date = get_str(b + 96, 16);
    d.idf_ver = get_str(b + 112, 32);
    std::memcpy(d.app_elf_sha256.data(), b + 144, 32);
    return d;
}

}  // namespace secure_ota
