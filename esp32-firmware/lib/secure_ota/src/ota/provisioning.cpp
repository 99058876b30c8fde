#include "secure_ota/ota/provisioning.h"

namespace secure_ota::ota {

std::optional<OtaProvisioning> provisioning_from_factory_data(const FactoryData& fd, uint16_t chip_id, std::string& error) {
    if (fd.device_id.empty() || fd.product.empty() || fd.api_key.empty()) {
        error = "factory data lacks the device id, product or API key";
        return std::nullopt;
    }
    if (fd.ca_cert_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        error = "factory data has no PEM CA certificate";
        return std::nullopt;
    }
    ServerUrl url;
    std::string why;
    if (!parse_https_url(fd.server_url, url, why)) {
        error = "factory server_url: " + why;
        return std::nullopt;
    }
    OtaProvisioning p;
    p.signing_key = crypto::EcdsaP256PublicKey::from_pem(fd.signing_pubkey_pem, why);
    if (!p.signing_key) {
        error = "factory signing key: " + why;
        return std::nullopt;
    }
    if (!fd.decryption_key_pem.empty()) {  // absent: the device installs plaintext releases only
        p.decryption_key = crypto::ImageDecryptionKey::from_pem(fd.decryption_key_pem, why);
        if (!p.decryption_key) {
            error = "factory decryption key: " + why;
            return std::nullopt;
        }
    }
    p.config.server_host = url.host;
    p.config.server_port = url.port;
    p.config.device_id = fd.device_id;
    p.config.api_key = fd.api_key;
    p.config.product = fd.product;
    p.config.chip_id = chip_id;
    p.ca_pem = fd.ca_cert_pem;
    return p;
}

}  // namespace secure_ota::ota
