// Read-only random access to the bytes of an image, wherever they are: in a partition, in
// a file loaded in memory, or in a partition whose first bytes are still held back in RAM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "secure_ota/flash.h"
#include "secure_ota/partition_table.h"

namespace secure_ota {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual uint32_t size() const = 0;
    virtual bool read(uint32_t offset, void* out, size_t length) const = 0;
};

class MemoryByteSource : public ByteSource {
public:
    explicit MemoryByteSource(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
    uint32_t size() const override { return static_cast<uint32_t>(bytes_.size()); }
    bool read(uint32_t offset, void* out, size_t length) const override {
        if (offset > bytes_.size() || length > bytes_.size() - offset) return false;
        std::memcpy(out, bytes_.data() + offset, length);
        return true;
    }

private:
    const std::vector<uint8_t>& bytes_;
};

class PartitionByteSource : public ByteSource {
public:
    PartitionByteSource(const Flash& flash, const PartitionEntry& partition)
        : flash_(flash), partition_(partition) {}
    uint32_t size() const override { return partition_.size; }
    bool read(uint32_t offset, void* out, size_t length) const override {
        if (offset > partition_.size || length > partition_.size - offset) return false;
        return flash_.read(partition_.offset + offset, out, length) == FlashStatus::Ok;
    }

private:
    const Flash& flash_;
    PartitionEntry partition_;
};

}  // namespace secure_ota
