#include "counting_allocator.h"

#include <malloc.h>

// glibc's own allocator, under the names it exports for exactly this use.
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void __libc_free(void* p);
}

namespace {
thread_local bool t_counting = false;
thread_local size_t t_current = 0;
thread_local size_t t_peak = 0;
thread_local size_t t_allocations = 0;

void* counted(void* p) {
    if (p && t_counting) {
        t_current += malloc_usable_size(p);
        if (t_current > t_peak) t_peak = t_current;
        ++t_allocations;
    }
    return p;
}

void uncount(void* p) {
    if (p && t_counting) {
        size_t n = malloc_usable_size(p);
        t_current = n > t_current ? 0 : t_current - n;  // a block from before the count began
    }
}
}  // namespace

extern "C" {
void* malloc(size_t size) { return counted(__libc_malloc(size)); }
void* calloc(size_t n, size_t size) { return counted(__libc_calloc(n, size)); }
void* realloc(void* p, size_t size) {
    uncount(p);
    return counted(__libc_realloc(p, size));
}
void free(void* p) {
    uncount(p);
    __libc_free(p);
}
}

namespace ota_test {

HeapCount::HeapCount() {
    t_current = t_peak = t_allocations = 0;
    t_counting = true;
}
HeapCount::~HeapCount() { t_counting = false; }
size_t HeapCount::peak_bytes() const { return t_peak; }
size_t HeapCount::current_bytes() const { return t_current; }
size_t HeapCount::allocations() const { return t_allocations; }

}  // namespace ota_test
