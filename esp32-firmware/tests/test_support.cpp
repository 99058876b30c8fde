#include "test_support.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace test {

std::vector<uint8_t> make_image(const std::string& version, uint32_t secure_version, size_t payload_size,
                                uint16_t chip) {
    secure_ota::AppDescriptor d;
    d.version = version;
    d.project_name = "shop-display";
    d.secure_version = secure_version;
    std::vector<uint8_t> payload(payload_size);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7 + version[0]);
    return secure_ota::AppImageBuilder::build(d, payload, chip);
}

secure_ota::FactoryData sample_factory_data() {
    secure_ota::FactoryData fd;
    fd.device_id = "esp32-lab-01";
    fd.product = "shop-display";
    fd.server_url = "https://127.0.0.1:8443";
    fd.api_key = "k-3f9a1c";
    fd.ca_cert_pem = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
    fd.signing_pubkey_pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwfake\n-----END PUBLIC KEY-----\n";
    return fd;
}

void factory_flash(RamFlash& flash, secure_ota::Layout layout, const std::vector<uint8_t>& image,
                   bool with_factory_data) {
    auto table = secure_ota::product_table(layout);
    auto bin = table.serialize();
    if (flash.nor.write(secure_ota::kPartitionTableOffset, bin.data(), bin.size()) != secure_ota::FlashStatus::Ok)
        throw std::runtime_error("table write failed");
    const auto* slot = layout == secure_ota::Layout::TwoOta ? table.factory_app() : table.ota_slots()[0];
    put_image(flash, *slot, image);
    if (with_factory_data) {
        auto fd = sample_factory_data().serialize();
        flash.nor.write(secure_ota::kFactoryDataOffset, fd.data(), fd.size());
    }
}

void put_image(RamFlash& flash, const secure_ota::PartitionEntry& slot, const std::vector<uint8_t>& image) {
    uint32_t len = (static_cast<uint32_t>(image.size()) + 0xFFF) & ~0xFFFu;
    if (flash.nor.erase(slot.offset, len) != secure_ota::FlashStatus::Ok ||
        flash.nor.write(slot.offset, image.data(), image.size()) != secure_ota::FlashStatus::Ok)
        throw std::runtime_error("image write failed: " + flash.nor.last_error());
}

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string hex(const uint8_t* data, size_t length) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < length; ++i) {
        s += d[data[i] >> 4];
        s += d[data[i] & 15];
    }
    return s;
}

}  // namespace test
