// From the factory data partition (H1's FactoryData) to what the update engine needs. Any
// missing or unusable field makes the device NOT_PROVISIONED; nothing here can come from the
// network or serial.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "secure_ota/factory_data.h"
#include "secure_ota/ota/crypto/ecdsa_p256.h"
#include "secure_ota/ota/crypto/image_decryption.h"
#include "secure_ota/ota/update_engine.h"

namespace secure_ota::ota {

struct OtaProvisioning {
    UpdateConfig config;                                       // server, device id, API key, product, chip
    std::unique_ptr<crypto::EcdsaP256PublicKey> signing_key;   // manifest key
    std::unique_ptr<crypto::ImageDecryptionKey> decryption_key;  // optional: encrypted releases
    std::string ca_pem;                                        // for the port's TLS connector
};

// nullopt with `error` naming the field when the factory data cannot drive an update.
std::optional<OtaProvisioning> provisioning_from_factory_data(const FactoryData& data, uint16_t chip_id, std::string& error);

}  // namespace secure_ota::ota
