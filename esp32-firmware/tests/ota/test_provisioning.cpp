#include <gtest/gtest.h>

#include "secure_ota/app_image.h"
#include "secure_ota/ota/provisioning.h"
#include "test_helpers.h"

using namespace secure_ota;
using namespace secure_ota::ota;
using namespace ota_test;

namespace {
FactoryData sample() {
    FactoryData fd;
    fd.device_id = "esp32-lab-01";
    fd.product = "shop-display";
    fd.server_url = "https://127.0.0.1:8443";
    fd.api_key = "key-123";
    fd.ca_cert_pem = read_file(pki("lab-ca.pem"));
    fd.signing_pubkey_pem = read_file(pki("signing-pub.pem"));
    return fd;
}
}  // namespace

TEST(Provisioning, FromFactoryData) {
    std::string err;
    auto p = provisioning_from_factory_data(sample(), chip_id::kHost, err);
    ASSERT_TRUE(p) << err;
    EXPECT_EQ(p->config.server_host, "127.0.0.1");
    EXPECT_EQ(p->config.server_port, 8443);
    EXPECT_EQ(p->config.product, "shop-display");
    EXPECT_EQ(p->config.chip_id, chip_id::kHost);
    ASSERT_TRUE(p->signing_key);
    EXPECT_EQ(p->signing_key->kid().size(), 16u);
}

TEST(Provisioning, RefusesIncompleteFactoryData) {
    std::string err;
    FactoryData fd = sample();
    fd.server_url = "http://127.0.0.1:8443";
    EXPECT_FALSE(provisioning_from_factory_data(fd, chip_id::kHost, err));
    fd = sample();
    fd.signing_pubkey_pem = read_file(pki("p384-pub.pem"));
    EXPECT_FALSE(provisioning_from_factory_data(fd, chip_id::kHost, err));
    fd = sample();
    fd.ca_cert_pem.clear();
    EXPECT_FALSE(provisioning_from_factory_data(fd, chip_id::kHost, err));
    fd = sample();
    fd.api_key.clear();
    EXPECT_FALSE(provisioning_from_factory_data(fd, chip_id::kHost, err));
}
