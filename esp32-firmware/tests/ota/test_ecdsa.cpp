#include <gtest/gtest.h>

#include "secure_ota/crypto/sha256.h"
#include "secure_ota/ota/crypto/ecdsa_p256.h"
#include "test_helpers.h"

using namespace secure_ota::ota;
using namespace ota_test;

TEST(EcdsaP256, VerifiesOpensslSignatures) {
    std::string err;
    auto key = crypto::EcdsaP256PublicKey::from_pem(read_file(pki("signing-pub.pem")), err);
    ASSERT_TRUE(key) << err;
    std::string msg = "hello.world";
    auto sig = openssl_es256_sign(pki("signing-key.pem"), msg);
    EXPECT_TRUE(key->verify(msg.data(), msg.size(), sig.data(), sig.size()));
    std::string other = "hello.worle";
    EXPECT_FALSE(key->verify(other.data(), other.size(), sig.data(), sig.size()));
    for (size_t i = 0; i < 64; i += 7) {
        auto bad = sig;
        bad[i] ^= 0x01;
        EXPECT_FALSE(key->verify(msg.data(), msg.size(), bad.data(), bad.size())) << "flipped byte " << i;
    }
    EXPECT_FALSE(key->verify(msg.data(), msg.size(), sig.data(), 63));
    std::vector<uint8_t> zero(64, 0);
    EXPECT_FALSE(key->verify(msg.data(), msg.size(), zero.data(), zero.size()));
    auto wrong = openssl_es256_sign(pki("other-key.pem"), msg);
    EXPECT_FALSE(key->verify(msg.data(), msg.size(), wrong.data(), wrong.size()));
}

TEST(EcdsaP256, KidIsSha256OfSpkiDer) {
    std::string err;
    auto key = crypto::EcdsaP256PublicKey::from_pem(read_file(pki("signing-pub.pem")), err);
    ASSERT_TRUE(key) << err;
    std::string out;
    ASSERT_EQ(run(std::string(OPENSSL_EXE) + " pkey -pubin -in '" + pki("signing-pub.pem") +
                      "' -outform DER 2>/dev/null | sha256sum | cut -c1-16",
                  &out),
              0);
    EXPECT_EQ(key->kid() + "\n", out);
}

TEST(EcdsaP256, RefusesOtherKeys) {
    std::string err;
    EXPECT_FALSE(crypto::EcdsaP256PublicKey::from_pem(read_file(pki("p384-pub.pem")), err));
    EXPECT_NE(err.find("P-256"), std::string::npos) << err;
    EXPECT_FALSE(crypto::EcdsaP256PublicKey::from_pem("", err));
    EXPECT_FALSE(crypto::EcdsaP256PublicKey::from_pem(read_file(pki("lab-ca.pem")), err)) << "a certificate is not a key";
    EXPECT_FALSE(crypto::EcdsaP256PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", err));
}

TEST(EcdsaP256, RawToDer) {
    uint8_t raw[64];
    for (int i = 0; i < 64; ++i) raw[i] = uint8_t(i < 32 ? 0x80 : (i == 32 ? 0 : 1));
    std::string der;
    ASSERT_TRUE(crypto::es256_raw_to_der(raw, 64, der));
    // r has its high bit set: 33-byte INTEGER with a leading 0; s has a leading zero byte dropped.
    EXPECT_EQ(uint8_t(der[0]), 0x30);
    EXPECT_EQ(uint8_t(der[2]), 0x02);
    EXPECT_EQ(uint8_t(der[3]), 33);
    EXPECT_EQ(uint8_t(der[4]), 0x00);
    EXPECT_EQ(uint8_t(der[4 + 33]), 0x02);
    EXPECT_EQ(uint8_t(der[5 + 33]), 31);
    EXPECT_EQ(der.size(), size_t(2 + 35 + 33));
    uint8_t zero[64] = {};
    EXPECT_FALSE(crypto::es256_raw_to_der(zero, 64, der));
}

TEST(ConstantTimeEqual, Compares) {
    uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 4}, c[4] = {1, 2, 3, 5};
    EXPECT_TRUE(crypto::constant_time_equal(a, b, 4));
    EXPECT_FALSE(crypto::constant_time_equal(a, c, 4));
    EXPECT_TRUE(crypto::constant_time_equal(a, c, 3));
}
