#include "udp_exchange.h"

#include <random>

namespace secure_ota::host {

uint64_t random_nonce(void*) {
    static std::random_device rd;
    return (uint64_t(rd()) << 32) ^ uint64_t(rd());
}

}  // namespace secure_ota::host
