// The factory data partition: the device's identity and trust anchors, written once at the
// factory (by `virtual-esp32 factory` or by the workbench for a real board) and never
// replaced over the air or over serial. Byte format: docs/factory-data.md.
//
//   header (16 bytes, little-endian): magic "SOFD", u16 format version (1), u16 record
//   count, u32 length of the records, u32 CRC-32 (zlib) of header bytes 0..11 + records.
//   records: u16 tag, u16 length, value (UTF-8, no terminator), back to back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "secure_ota/flash.h"
#include "secure_ota/lcd_text.h"
#include "secure_ota/partition_table.h"

namespace secure_ota {

struct FactoryData {
    static constexpr uint8_t kMagic[4] = {'S', 'O', 'F', 'D'};
    static constexpr uint16_t kFormatVersion = 1;
    static constexpr size_t kHeaderSize = 16;

    enum Tag : uint16_t {
        kDeviceId = 1,
        kProduct = 2,
        kServerUrl = 3,
        kApiKey = 4,
        kCaCertPem = 5,
        kSigningPubKeyPem = 6,
        kDecryptionKeyPem = 7,  // optional: only devices of a product whose releases are encrypted
        kLcdLang = 8,           // optional: "fr" (the default) or "en", the language of the LCD's texts
    };

    std::string device_id;           // e.g. "esp32-lab-01"
    std::string product;             // must equal the manifest's "product"
    std::string server_url;          // "https://host:port"
    std::string api_key;
    std::string ca_cert_pem;         // the only CA the TLS client trusts
    std::string signing_pubkey_pem;  // verifies the manifest's ES256 signature
    std::string decryption_key_pem;  // optional: the product's esp_encrypted_img private key (PKCS#8 PEM)
    std::string lcd_lang;            // optional: "fr" or "en"; empty: French

    std::vector<uint8_t> serialize() const;
    // nullopt with `error` naming what is wrong: blank partition, bad magic, CRC, missing field.
    static std::optional<FactoryData> parse(const uint8_t* data, size_t length, std::string& error);
    static std::optional<FactoryData> read(const Flash& flash, const PartitionEntry& partition, std::string& error);
    // Field limits, checked before writing and after reading.
    bool validate(std::string& error) const;
};

// The language of the LCD's texts for this factory data: its lcd_lang, French when absent (or no data).
LcdLanguage lcd_language(const FactoryData* data);

}  // namespace secure_ota
