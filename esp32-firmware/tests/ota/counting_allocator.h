// Counts the heap a thread uses while a HeapCount is alive on it: every malloc, calloc,
// realloc and free of the process goes through counting_allocator.cpp (mbedTLS's calloc and
// C++'s operator new included), and the calls made on the counting thread move its total.
#pragma once

#include <cstddef>

namespace ota_test {

class HeapCount {
public:
    HeapCount();
    ~HeapCount();
    size_t peak_bytes() const;     // most bytes in use at once since construction
    size_t current_bytes() const;  // in use now (allocated since construction, not yet freed)
    size_t allocations() const;
};

}  // namespace ota_test
