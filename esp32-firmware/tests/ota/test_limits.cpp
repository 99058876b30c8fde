// Measured limits of one update on the host, for the real board's budget (README: "Measured
// limits"): the engine's peak stack, by running one whole update over real TLS on a thread
// whose stack was painted with a pattern, and its peak heap, by counting every allocation of
// that thread (counting_allocator.cpp). Prints the figures beside the ESP32's loop-task stack
// (ports/esp32/main.cpp); asserts the update, that the figures were really measured, and that
// the host's peak stays inside that stack.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <sys/mman.h>

#include <mbedtls/version.h>

#include "counting_allocator.h"
#include "ci_prerequisite.h"
#include "end_to_end_fixture.h"
#include "python_server.h"

using namespace ota_test;

namespace {

constexpr size_t kPaintedStack = 1 << 20;   // far more than the update needs
constexpr uint8_t kPaint = 0xA5;
constexpr size_t kLoopTaskStack = 24 * 1024;  // ports/esp32/main.cpp SET_LOOP_TASK_STACK_SIZE

// Runs `body` on a thread whose whole stack is painted; returns the bytes it touched.
template <class F>
size_t peak_stack_of(F body) {
    void* stack = ::mmap(nullptr, kPaintedStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(stack, MAP_FAILED);
    std::memset(stack, kPaint, kPaintedStack);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, stack, kPaintedStack);
    pthread_t thread;
    auto trampoline = [](void* arg) -> void* {
        (*static_cast<F*>(arg))();
        return nullptr;
    };
    EXPECT_EQ(pthread_create(&thread, &attr, trampoline, &body), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    // The stack grows down: the lowest byte that lost its paint marks the deepest frame.
    const auto* p = static_cast<const uint8_t*>(stack);
    size_t untouched = 0;
    while (untouched < kPaintedStack && p[untouched] == kPaint) ++untouched;
    ::munmap(stack, kPaintedStack);
    return kPaintedStack - untouched;
}

class Limits : public EndToEnd {};

}  // namespace

TEST_F(Limits, OneUpdateOverRealTlsStackAndHeap) {
    if (std::string(PYTHON3_EXE).empty()) OTA_SKIP_OR_FAIL_IN_CI() << "python3 not found";
    PythonServer srv(dir, "lab-server");
    ASSERT_NE(srv.port(), 0);

    UpdateResult r;
    size_t heap_peak = 0, heap_allocations = 0, heap_left = 0;
    size_t stack = peak_stack_of([&] {
        HeapCount heap;
        r = real_update(srv.port(), "localhost");
        heap_peak = heap.peak_bytes();
        heap_allocations = heap.allocations();
        heap_left = heap.current_bytes();
    });
    expect_updated(r);
    ASSERT_GT(stack, 0u) << "the painted stack was not used: the measurement is void";
    ASSERT_LT(stack, kPaintedStack) << "the painted stack overflowed: the measurement is void";
    ASSERT_GT(heap_allocations, 0u) << "no allocation was counted: the measurement is void";
    EXPECT_LT(stack, kLoopTaskStack) << "one update needs more stack than the ESP32 loop task has";
    std::printf("[ figures ] one update over real TLS (%zu-byte image): peak stack %zu bytes (%.1f KiB) of the "
                "ESP32 loop task's %zu KiB, margin %lld bytes; peak heap %zu bytes (%.1f KiB) in %zu allocations, "
                "%zu bytes still held after the update (host x86-64, mbedTLS %s)\n",
                server.image.size(), stack, double(stack) / 1024, kLoopTaskStack / 1024,
                static_cast<long long>(kLoopTaskStack) - static_cast<long long>(stack), heap_peak,
                double(heap_peak) / 1024, heap_allocations, heap_left, MBEDTLS_VERSION_STRING);
}
