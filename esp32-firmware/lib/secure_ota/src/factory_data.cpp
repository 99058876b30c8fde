#include "secure_ota/factory_data.h"

#include <cstring>

#include "secure_ota/byte_order.h"
#include "secure_ota/crc32.h"

namespace secure_ota {
namespace {

struct FieldSpec {
    FactoryData::Tag tag;
    const char* name;
    size_t max;
    std::string FactoryData::*member;
};

const FieldSpec kFields[] = {
    {FactoryData::kDeviceId, "device_id", 64, &FactoryData::device_id},
    {FactoryData::kProduct, "product", 31, &FactoryData::product},  // fits esp_app_desc_t.project_name
    {FactoryData::kServerUrl, "server_url", 256, &FactoryData::server_url},
    {FactoryData::kApiKey, "api_key", 128, &FactoryData::api_key},
    {FactoryData::kCaCertPem, "ca_cert_pem", 3072, &FactoryData::ca_cert_pem},
    {FactoryData::kSigningPubKeyPem, "signing_pubkey_pem", 1024, &FactoryData::signing_pubkey_pem},
};

// Optional, written only when present: a device without it keeps installing plaintext releases.
// 3300 bytes holds an RSA-3072 PKCS#8 PEM (about 2.5 KB); a P-256 one is about 240.
const FieldSpec kDecryptionKey = {FactoryData::kDecryptionKeyPem, "decryption_key_pem", 3300, &FactoryData::decryption_key_pem};

// Optional too: a device made before it existed, or without it, shows French texts.
const FieldSpec kLcdLang = {FactoryData::kLcdLang, "lcd_lang", 2, &FactoryData::lcd_lang};

std::vector<const FieldSpec*> all_fields() {
    std::vector<const FieldSpec*> all;
    for (const auto& f : kFields) all.push_back(&f);
    all.push_back(&kDecryptionKey);
    all.push_back(&kLcdLang);
    return all;
}

}  // namespace

bool FactoryData::validate(std::string& error) const {
    for (const auto& f : kFields) {
        const std::string& v = this->*f.member;
        if (v.empty()) {
            error = std::string("factory data field '") + f.name + "' is missing or empty";
            return false;
        }
        if (v.size() > f.max) {
            error = std::string("factory data field '") + f.name + "' is " + std::to_string(v.size()) +
                    " bytes, the limit is " + std::to_string(f.max);
            return false;
        }
    }
    if (ca_cert_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        error = "ca_cert_pem is not a PEM certificate (no BEGIN CERTIFICATE line)";
        return false;
    }
    if (signing_pubkey_pem.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
        error = "signing_pubkey_pem is not a PEM public key (no BEGIN PUBLIC KEY line)";
        return false;
    }
    if (decryption_key_pem.size() > kDecryptionKey.max) {
        error = "factory data field 'decryption_key_pem' is " + std::to_string(decryption_key_pem.size()) +
                " bytes, the limit is " + std::to_string(kDecryptionKey.max);
        return false;
    }
    if (!decryption_key_pem.empty() && decryption_key_pem.find("-----BEGIN PRIVATE KEY-----") == std::string::npos) {
        error = "decryption_key_pem is not a PKCS#8 PEM private key (no BEGIN PRIVATE KEY line)";
        return false;
    }
    if (!lcd_lang.empty() && !lcd_language_from_string(lcd_lang)) {
        error = "factory data field 'lcd_lang' is '" + lcd_lang + "'; it must be 'fr' or 'en'";
        return false;
    }
    return true;
}

LcdLanguage lcd_language(const FactoryData* data) {
    if (!data) return LcdLanguage::Fr;
    return lcd_language_from_string(data->lcd_lang).value_or(LcdLanguage::Fr);
}

std::vector<uint8_t> FactoryData::serialize() const {
    std::vector<uint8_t> records;
    uint16_t count = 0;
    for (const FieldSpec* fp : all_fields()) {
        const FieldSpec& f = *fp;
        const std::string& v = this->*f.member;
        if ((f.tag == kDecryptionKeyPem || f.tag == kLcdLang) && v.empty()) continue;
        ++count;
        uint8_t th[4];
        store_le16(th, f.tag);
        store_le16(th + 2, static_cast<uint16_t>(v.size()));
        records.insert(records.end(), th, th + 4);
        records.insert(records.end(), v.begin(), v.end());
    }
    std::vector<uint8_t> out(kHeaderSize);
    std::memcpy(out.data(), kMagic, 4);
    store_le16(&out[4], kFormatVersion);
    store_le16(&out[6], count);
    store_le32(&out[8], static_cast<uint32_t>(records.size()));
    uint32_t crc = crc32(out.data(), 12);
    crc = crc32(records.data(), records.size(), crc);
    store_le32(&out[12], crc);
    out.insert(out.end(), records.begin(), records.end());
    return out;
}

std::optional<FactoryData> FactoryData::parse(const uint8_t* data, size_t length, std::string& error) {
    if (length < kHeaderSize) {
        error = "factory data partition is too small";
        return std::nullopt;
    }
    if (std::memcmp(data, kMagic, 4) != 0) {
        bool blank = true;
        for (size_t i = 0; i < kHeaderSize; ++i) blank = blank && data[i] == 0xFF;
        error = blank ? "factory data partition is blank: the device was never provisioned"
                      : "factory data partition has no 'SOFD' magic: it holds something else";
        return std::nullopt;
    }
    uint16_t version = load_le16(data + 4);
    if (version != kFormatVersion) {
        error = "factory data format version " + std::to_string(version) + " is not supported (expected 1)";
        return std::nullopt;
    }
    uint16_t count = load_le16(data + 6);
    uint32_t records_len = load_le32(data + 8);
    if (records_len > length - kHeaderSize) {
        error = "factory data length field runs past the partition";
        return std::nullopt;
    }
    uint32_t crc = crc32(data, 12);
    crc = crc32(data + kHeaderSize, records_len, crc);
    if (crc != load_le32(data + 12)) {
        error = "factory data CRC mismatch: the partition is corrupt";
        return std::nullopt;
    }
    FactoryData fd;
    const uint8_t* p = data + kHeaderSize;
    const uint8_t* end = p + records_len;
    std::vector<uint16_t> seen;
    for (uint16_t i = 0; i < count; ++i) {
        if (end - p < 4) {
            error = "factory data record " + std::to_string(i) + " is truncated";
            return std::nullopt;
        }
        uint16_t tag = load_le16(p), len = load_le16(p + 2);
        p += 4;
        if (end - p < len) {
            error = "factory data record " + std::to_string(i) + " runs past the records";
            return std::nullopt;
        }
        for (uint16_t s : seen)
            if (s == tag) {
                error = "factory data tag " + std::to_string(tag) + " appears twice";
                return std::nullopt;
            }
        seen.push_back(tag);
        for (const FieldSpec* f : all_fields())
            if (f->tag == tag) fd.*(f->member) = std::string(reinterpret_cast<const char*>(p), len);
        // Unknown tags are skipped: a newer factory tool may add fields.
        p += len;
    }
    if (p != end) {
        error = "factory data record count does not match the records length";
        return std::nullopt;
    }
    if (!fd.validate(error)) return std::nullopt;
    return fd;
}

std::optional<FactoryData> FactoryData::read(const Flash& flash, const PartitionEntry& partition, std::string& error) {
    std::vector<uint8_t> buf(partition.size);
    if (flash.read(partition.offset, buf.data(), buf.size()) != FlashStatus::Ok) {
        error = "cannot read the factory data partition";
        return std::nullopt;
    }
    return parse(buf.data(), buf.size(), error);
}

}  // namespace secure_ota
