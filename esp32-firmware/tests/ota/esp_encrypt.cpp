#include "esp_encrypt.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include <cstring>
#include <stdexcept>

#include "secure_ota/crypto/sha256.h"

namespace ota_test {
namespace {

struct Drbg {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    Drbg() {
        mbedtls_entropy_init(&entropy);
        mbedtls_ctr_drbg_init(&drbg);
        if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0) != 0) throw std::runtime_error("drbg");
    }
    ~Drbg() {
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
    }
};

void check(int rc, const char* what) {
    if (rc != 0) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rc));
}

// The device key's public point, copied out: 3.x keeps the key pair's fields private
// (mbedtls_ecp_export is the public way); 2.28 has public fields and no mbedtls_ecp_export.
void device_point(const mbedtls_ecp_keypair* kp, mbedtls_ecp_point* q) {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    int rc = mbedtls_ecp_export(kp, &grp, &d, q);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    check(rc, "export device key");
#else
    check(mbedtls_ecp_copy(q, &kp->Q), "copy device key");
#endif
}

}  // namespace

struct Recipient::Impl {
    mbedtls_pk_context pk;
    Drbg rng;
    Impl() { mbedtls_pk_init(&pk); }
    ~Impl() { mbedtls_pk_free(&pk); }
};

Recipient::Recipient() : impl_(new Impl) {}
Recipient::~Recipient() = default;

std::unique_ptr<Recipient> Recipient::from_private_pem(const std::string& pem) {
    std::unique_ptr<Recipient> r(new Recipient);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    check(mbedtls_pk_parse_key(&r->impl_->pk, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1, nullptr, 0,
                               mbedtls_ctr_drbg_random, &r->impl_->rng.drbg),
          "parse key");
#else
    check(mbedtls_pk_parse_key(&r->impl_->pk, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1, nullptr, 0),
          "parse key");
#endif
    return r;
}

std::unique_ptr<Recipient> Recipient::fresh_p256() {
    std::unique_ptr<Recipient> r(new Recipient);
    check(mbedtls_pk_setup(&r->impl_->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "pk setup");
    check(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(r->impl_->pk), mbedtls_ctr_drbg_random, &r->impl_->rng.drbg),
          "gen key");
    return r;
}

bool Recipient::rsa() const { return mbedtls_pk_get_type(&impl_->pk) == MBEDTLS_PK_RSA; }

std::string Recipient::key_id() const {
    unsigned char der[600];
    int len = mbedtls_pk_write_pubkey_der(&impl_->pk, der, sizeof der);
    if (len <= 0) throw std::runtime_error("pubkey der");
    auto d = secure_ota::crypto::Sha256::of(der + sizeof der - len, size_t(len));
    static const char hex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 8; ++i) {
        id += hex[d[i] >> 4];
        id += hex[d[i] & 15];
    }
    return id;
}

std::vector<uint8_t> Recipient::encrypt(const std::vector<uint8_t>& plain) const {
    std::vector<uint8_t> out(512 + plain.size(), 0);
    static const uint8_t magic[4] = {0xcf, 0xb6, 0x88, 0x07};
    std::memcpy(out.data(), magic, 4);
    uint8_t aes_key[32];
    auto& rng = impl_->rng.drbg;
    if (rsa()) {
        check(mbedtls_ctr_drbg_random(&rng, aes_key, sizeof aes_key), "random");
        size_t olen = 0;
        check(mbedtls_pk_encrypt(&impl_->pk, aes_key, sizeof aes_key, out.data() + 4, &olen, 384, mbedtls_ctr_drbg_random, &rng),
              "rsa encrypt");
        if (olen != 384) throw std::runtime_error("rsa output size");
    } else {
        mbedtls_ecp_keypair* device = mbedtls_pk_ec(impl_->pk);
        mbedtls_ecp_group grp;
        mbedtls_ecp_group_init(&grp);
        check(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1), "group");
        mbedtls_mpi d, z;
        mbedtls_ecp_point q, device_q;
        mbedtls_mpi_init(&d);
        mbedtls_mpi_init(&z);
        mbedtls_ecp_point_init(&q);
        mbedtls_ecp_point_init(&device_q);
        device_point(device, &device_q);
        check(mbedtls_ecp_gen_keypair(&grp, &d, &q, mbedtls_ctr_drbg_random, &rng), "ephemeral key");
        check(mbedtls_ecdh_compute_shared(&grp, &z, &device_q, &d, mbedtls_ctr_drbg_random, &rng), "ecdh");
        uint8_t point[65];
        size_t plen = 0;
        check(mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &plen, point, sizeof point), "point");
        std::memcpy(out.data() + 4, point + 1, 64);
        uint8_t secret[32];
        check(mbedtls_mpi_write_binary(&z, secret, sizeof secret), "secret");
        check(mbedtls_ctr_drbg_random(&rng, out.data() + 68, 32), "salt");
        static const unsigned char info[] = "_esp_enc_img_ecc";
        check(mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), out.data() + 68, 32, secret, 32, info, 16, aes_key, 32),
              "hkdf");
        mbedtls_ecp_point_free(&device_q);
        mbedtls_ecp_point_free(&q);
        mbedtls_mpi_free(&z);
        mbedtls_mpi_free(&d);
        mbedtls_ecp_group_free(&grp);
    }
    check(mbedtls_ctr_drbg_random(&rng, out.data() + 388, 16), "iv");
    uint32_t n = uint32_t(plain.size());
    out[404] = uint8_t(n);
    out[405] = uint8_t(n >> 8);
    out[406] = uint8_t(n >> 16);
    out[407] = uint8_t(n >> 24);
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    check(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, aes_key, 256), "gcm key");
    check(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, plain.size(), out.data() + 388, 16, nullptr, 0, plain.data(),
                                    out.data() + 512, 16, out.data() + 408),
          "gcm");
    mbedtls_gcm_free(&gcm);
    return out;
}

std::string vector_file(const std::string& name) { return std::string(OTA_ENCRYPTED_VECTORS_DIR) + "/" + name; }

}  // namespace ota_test
