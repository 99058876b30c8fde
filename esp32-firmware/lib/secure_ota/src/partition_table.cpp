#include "secure_ota/partition_table.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "secure_ota/byte_order.h"
#include "secure_ota/crypto/sha256.h"

namespace secure_ota {
namespace {

constexpr uint8_t kEntryMagic[2] = {0xAA, 0x50};
constexpr uint8_t kMd5Magic[2] = {0xEB, 0xEB};

void serialize_entry(const PartitionEntry& e, uint8_t* out) {
    out[0] = kEntryMagic[0];
    out[1] = kEntryMagic[1];
    out[2] = e.type;
    out[3] = e.subtype;
    store_le32(out + 4, e.offset);
    store_le32(out + 8, e.size);
    std::memset(out + 12, 0, 16);
    std::memcpy(out + 12, e.label.data(), std::min<size_t>(e.label.size(), 16));
    store_le32(out + 28, e.flags);
}

}  // namespace

std::string PartitionEntry::type_name() const {
    if (is_app()) return "app";
    if (type == static_cast<uint8_t>(PartitionType::Data)) return "data";
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", type);
    return buf;
}

std::string PartitionEntry::subtype_name() const {
    char buf[16];
    if (is_app()) {
        if (subtype == app_subtype::kFactory) return "factory";
        if (subtype == app_subtype::kTest) return "test";
        if (is_ota_app()) {
            std::snprintf(buf, sizeof buf, "ota_%d", ota_index());
            return buf;
        }
    } else if (type == static_cast<uint8_t>(PartitionType::Data)) {
        switch (subtype) {
            case data_subtype::kOta: return "ota";
            case data_subtype::kPhy: return "phy";
            case data_subtype::kNvs: return "nvs";
            case data_subtype::kCoredump: return "coredump";
            case data_subtype::kNvsKeys: return "nvs_keys";
            case data_subtype::kSpiffs: return "spiffs";
            default: break;
        }
    }
    std::snprintf(buf, sizeof buf, "0x%02x", subtype);
    return buf;
}

std::vector<uint8_t> PartitionTable::serialize() const {
    std::vector<uint8_t> out(kFlashSectorSize, 0xFF);
    size_t pos = 0;
    for (const auto& e : entries_) {
        serialize_entry(e, out.data() + pos);
        pos += kPartitionEntrySize;
    }
    auto digest = crypto::md5(out.data(), pos);
    out[pos] = kMd5Magic[0];
    out[pos + 1] = kMd5Magic[1];
    // bytes 2..15 of the MD5 record stay 0xFF, as gen_esp32part.py writes them
    std::memcpy(out.data() + pos + 16, digest.data(), digest.size());
    return out;
}

std::vector<uint8_t> PartitionTable::md5() const {
    auto bin = serialize();
    size_t pos = entries_.size() * kPartitionEntrySize;
    return std::vector<uint8_t>(bin.begin() + pos + 16, bin.begin() + pos + 32);
}

std::optional<PartitionTable> PartitionTable::parse(const uint8_t* data, size_t length, std::string& error) {
    std::vector<PartitionEntry> entries;
    bool md5_seen = false;
    char msg[160];
    size_t limit = std::min<size_t>(length, kPartitionTableMaxLength);
    size_t pos = 0;
    for (; pos + kPartitionEntrySize <= limit; pos += kPartitionEntrySize) {
        const uint8_t* p = data + pos;
        if (p[0] == 0xFF && p[1] == 0xFF) break;  // end of table
        if (p[0] == kMd5Magic[0] && p[1] == kMd5Magic[1]) {
            auto digest = crypto::md5(data, pos);
            if (std::memcmp(digest.data(), p + 16, 16) != 0) {
                std::snprintf(msg, sizeof msg, "partition table MD5 mismatch at 0x%zx: the table is corrupt", pos);
                error = msg;
                return std::nullopt;
            }
            md5_seen = true;
            continue;
        }
        if (p[0] != kEntryMagic[0] || p[1] != kEntryMagic[1]) {
            std::snprintf(msg, sizeof msg, "partition table entry at 0x%zx has magic %02X %02X, expected AA 50",
                          pos, p[0], p[1]);
            error = msg;
            return std::nullopt;
        }
        if (md5_seen) {
            error = "partition table has entries after its MD5 record";
            return std::nullopt;
        }
        PartitionEntry e;
        e.type = p[2];
        e.subtype = p[3];
        e.offset = load_le32(p + 4);
        e.size = load_le32(p + 8);
        e.label.assign(reinterpret_cast<const char*>(p + 12), strnlen(reinterpret_cast<const char*>(p + 12), 16));
        e.flags = load_le32(p + 28);
        entries.push_back(e);
    }
    if (entries.empty()) {
        error = "no partition table (erased or never written)";
        return std::nullopt;
    }
    if (!md5_seen) {
        error = "partition table has no MD5 record";
        return std::nullopt;
    }
    return PartitionTable(std::move(entries));
}

std::optional<PartitionTable> PartitionTable::read(const Flash& flash, std::string& error) {
    std::vector<uint8_t> buf(kPartitionTableMaxLength);
    FlashStatus st = flash.read(kPartitionTableOffset, buf.data(), buf.size());
    if (st != FlashStatus::Ok) {
        error = std::string("cannot read the partition table: ") + to_string(st);
        return std::nullopt;
    }
    return parse(buf.data(), buf.size(), error);
}

const PartitionEntry* PartitionTable::find(PartitionType type, uint8_t subtype) const {
    for (const auto& e : entries_)
        if (e.type == static_cast<uint8_t>(type) && e.subtype == subtype) return &e;
    return nullptr;
}

const PartitionEntry* PartitionTable::find_label(const std::string& label) const {
    for (const auto& e : entries_)
        if (e.label == label) return &e;
    return nullptr;
}

const PartitionEntry* PartitionTable::find_containing(uint32_t address) const {
    for (const auto& e : entries_)
        if (address >= e.offset && address - e.offset < e.size) return &e;
    return nullptr;
}

std::vector<const PartitionEntry*> PartitionTable::ota_slots() const {
    std::vector<const PartitionEntry*> slots;
    for (uint8_t sub = app_subtype::kOtaMin; sub <= app_subtype::kOtaMax; ++sub) {
        const PartitionEntry* e = find(PartitionType::App, sub);
        if (!e) break;  // ESP-IDF counts ota_N contiguously from ota_0
        slots.push_back(e);
    }
    return slots;
}

std::vector<const PartitionEntry*> PartitionTable::app_slots() const {
    std::vector<const PartitionEntry*> slots;
    if (const PartitionEntry* f = factory_app()) slots.push_back(f);
    for (const PartitionEntry* e : ota_slots()) slots.push_back(e);
    return slots;
}

bool PartitionTable::validate(uint32_t flash_size, std::string& error) const {
    char msg[200];
    if ((entries_.size() + 1) * kPartitionEntrySize > kPartitionTableMaxLength) {
        error = "too many partitions for one table";
        return false;
    }
    for (size_t i = 0; i < entries_.size(); ++i) {
        const auto& e = entries_[i];
        if (e.label.empty() || e.label.size() > 16) {
            std::snprintf(msg, sizeof msg, "partition %zu: label must be 1..16 bytes", i);
            error = msg;
            return false;
        }
        // App partitions must be 64 KiB aligned (flash MMU pages); data partitions 4 KiB.
        uint32_t align = e.is_app() ? 0x10000 : kFlashSectorSize;
        if (e.offset % align != 0 || e.size % kFlashSectorSize != 0 || e.size == 0) {
            std::snprintf(msg, sizeof msg, "partition '%s' at 0x%x size 0x%x is not aligned", e.label.c_str(),
                          unsigned(e.offset), unsigned(e.size));
            error = msg;
            return false;
        }
        if (e.offset < kPartitionTableOffset + kFlashSectorSize || e.offset + e.size > flash_size) {
            std::snprintf(msg, sizeof msg, "partition '%s' does not fit between the table and the end of flash",
                          e.label.c_str());
            error = msg;
            return false;
        }
        for (size_t j = 0; j < i; ++j) {
            const auto& o = entries_[j];
            if (e.offset < o.offset + o.size && o.offset < e.offset + e.size) {
                std::snprintf(msg, sizeof msg, "partitions '%s' and '%s' overlap", o.label.c_str(), e.label.c_str());
                error = msg;
                return false;
            }
            if (e.label == o.label) {
                error = "duplicate partition label '" + e.label + "'";
                return false;
            }
        }
    }
    return true;
}

}  // namespace secure_ota
