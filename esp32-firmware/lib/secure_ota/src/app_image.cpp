#include "secure_ota/app_image.h"

#include <cstdio>
#include <cstring>

#include "secure_ota/byte_order.h"

namespace secure_ota {

namespace {

// The XOR of n bytes, eight at a time: the byte-at-a-time loop is a serial dependency chain the
// compiler does not vectorise at -O2, and every full verification runs it over the whole image.
uint8_t xor_bytes(const uint8_t* p, size_t n) {
    uint64_t wide = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        wide ^= w;
    }
    uint8_t x = 0;
    for (int shift = 0; shift < 64; shift += 8) x ^= uint8_t(wide >> shift);
    for (; i < n; ++i) x ^= p[i];
    return x;
}

}  // namespace

const char* to_string(ImageError e) {
    switch (e) {
        case ImageError::Ok: return "ok";
        case ImageError::Unreadable: return "unreadable";
        case ImageError::BadMagic: return "bad magic (no image)";
        case ImageError::BadSegmentCount: return "bad segment count";
        case ImageError::WrongChip: return "wrong chip id";
        case ImageError::SegmentOutOfBounds: return "segment out of bounds";
        case ImageError::SegmentMisaligned: return "segment length not a multiple of 4";
        case ImageError::NoAppDescriptor: return "no app descriptor";
        case ImageError::ChecksumMismatch: return "checksum mismatch";
        case ImageError::NoAppendedHash: return "no appended SHA-256";
        case ImageError::HashMismatch: return "SHA-256 mismatch";
    }
    return "unknown";
}

std::vector<uint8_t> ImageHeader::serialize() const {
    std::vector<uint8_t> b(kImageHeaderSize, 0);
    b[0] = magic;
    b[1] = segment_count;
    b[2] = spi_mode;
    b[3] = spi_speed_size;
    store_le32(&b[4], entry_addr);
    b[8] = wp_pin;
    std::memcpy(&b[9], spi_pin_drv, 3);
    store_le16(&b[12], chip_id);
    b[14] = min_chip_rev;
    store_le16(&b[15], min_chip_rev_full);
    store_le16(&b[17], max_chip_rev_full);
    // 19..22 reserved, zero
    b[23] = hash_appended;
    return b;
}

ImageHeader ImageHeader::parse(const uint8_t* b) {
    ImageHeader h;
    h.magic = b[0];
    h.segment_count = b[1];
    h.spi_mode = b[2];
    h.spi_speed_size = b[3];
    h.entry_addr = load_le32(b + 4);
    h.wp_pin = b[8];
    std::memcpy(h.spi_pin_drv, b + 9, 3);
    h.chip_id = load_le16(b + 12);
    h.min_chip_rev = b[14];
    h.min_chip_rev_full = load_le16(b + 15);
    h.max_chip_rev_full = load_le16(b + 17);
    h.hash_appended = b[23];
    return h;
}

std::vector<uint8_t> AppImageBuilder::build(ImageHeader header, const std::vector<ImageSegment>& segments) {
    header.segment_count = static_cast<uint8_t>(segments.size());
    std::vector<uint8_t> out = header.serialize();
    uint8_t checksum = kChecksumSeed;
    for (const auto& seg : segments) {
        std::vector<uint8_t> data = seg.data;
        while (data.size() % 4 != 0) data.push_back(0);
        uint8_t sh[kSegmentHeaderSize];
        store_le32(sh, seg.load_addr);
        store_le32(sh + 4, static_cast<uint32_t>(data.size()));
        out.insert(out.end(), sh, sh + kSegmentHeaderSize);
        out.insert(out.end(), data.begin(), data.end());
        for (uint8_t v : data) checksum ^= v;
    }
    // esptool: pad with zeros so that the checksum byte ends a 16-byte block
    while ((out.size() + 1) % 16 != 0) out.push_back(0);
    out.push_back(checksum);
    if (header.hash_appended) {
        auto digest = crypto::Sha256::of(out.data(), out.size());
        out.insert(out.end(), digest.begin(), digest.end());
    }
    return out;
}

std::vector<uint8_t> AppImageBuilder::build(const AppDescriptor& desc, const std::vector<uint8_t>& payload,
                                            uint16_t chip) {
    ImageHeader h;
    h.chip_id = chip;
    h.entry_addr = 0x400D0020;  // start of IROM, where an ESP32 app's entry usually lives
    auto d = desc.serialize();
    std::vector<ImageSegment> segs;
    segs.push_back({0x3F400020, std::vector<uint8_t>(d.begin(), d.end())});  // DROM
    segs.push_back({0x400D0020, payload});                                    // IROM
    return build(h, segs);
}

ImageVerification AppImageVerifier::verify(const ByteSource& source) const { return walk(source, true); }

ImageVerification AppImageVerifier::read_descriptor(const ByteSource& source) const { return walk(source, false); }

ImageVerification AppImageVerifier::walk(const ByteSource& src, bool full) const {
    ImageVerification r;
    char msg[200];
    auto fail = [&](ImageError e, const char* detail) {
        r.error = e;
        r.detail = detail;
        return r;
    };
    uint8_t hb[kImageHeaderSize];
    if (!src.read(0, hb, sizeof hb)) return fail(ImageError::Unreadable, "cannot read the image header");
    r.info.header = ImageHeader::parse(hb);
    const ImageHeader& h = r.info.header;
    if (h.magic != kImageMagic) {
        std::snprintf(msg, sizeof msg, "first byte is 0x%02X, an app image starts with 0xE9", h.magic);
        return fail(ImageError::BadMagic, msg);
    }
    if (h.segment_count == 0 || h.segment_count > kMaxSegments) {
        std::snprintf(msg, sizeof msg, "segment count %u is not in 1..16", h.segment_count);
        return fail(ImageError::BadSegmentCount, msg);
    }
    if (h.chip_id != expected_chip_) {
        std::snprintf(msg, sizeof msg, "image is built for chip id 0x%04X, this board is 0x%04X", h.chip_id,
                      expected_chip_);
        return fail(ImageError::WrongChip, msg);
    }
    uint8_t desc_bytes[AppDescriptor::kSize];
    if (!src.read(AppDescriptor::kImageOffset, desc_bytes, sizeof desc_bytes))
        return fail(ImageError::Unreadable, "cannot read the app descriptor");
    auto desc = AppDescriptor::parse(desc_bytes);
    if (!desc) return fail(ImageError::NoAppDescriptor, "no esp_app_desc_t magic 0xABCD5432 at offset 0x20");
    r.info.descriptor = *desc;

    uint8_t checksum = kChecksumSeed;
    uint32_t pos = kImageHeaderSize;
    std::vector<uint8_t> chunk(4096);
    for (unsigned i = 0; i < h.segment_count; ++i) {
        uint8_t sh[kSegmentHeaderSize];
        if (!src.read(pos, sh, sizeof sh)) return fail(ImageError::SegmentOutOfBounds, "segment header past the end");
        SegmentInfo seg{load_le32(sh), pos + static_cast<uint32_t>(kSegmentHeaderSize), load_le32(sh + 4)};
        if (seg.data_len > src.size() || seg.data_offset > src.size() - seg.data_len) {
            std::snprintf(msg, sizeof msg, "segment %u (0x%x bytes at 0x%x) runs past the end of the partition", i,
                          unsigned(seg.data_len), unsigned(seg.data_offset));
            return fail(ImageError::SegmentOutOfBounds, msg);
        }
        if (seg.data_len % 4 != 0) {
            std::snprintf(msg, sizeof msg, "segment %u length 0x%x is not a multiple of 4", i, unsigned(seg.data_len));
            return fail(ImageError::SegmentMisaligned, msg);
        }
        if (full) {
            for (uint32_t off = 0; off < seg.data_len; off += chunk.size()) {
                size_t n = std::min<size_t>(chunk.size(), seg.data_len - off);
                if (!src.read(seg.data_offset + off, chunk.data(), n))
                    return fail(ImageError::Unreadable, "cannot read segment data");
                checksum ^= xor_bytes(chunk.data(), n);
            }
        }
        r.info.segments.push_back(seg);
        pos = seg.data_offset + seg.data_len;
    }
    while ((pos + 1) % 16 != 0) ++pos;
    r.info.checksum_offset = pos;
    r.info.image_length = pos + 1 + (h.hash_appended ? 32 : 0);
    if (r.info.image_length > src.size()) return fail(ImageError::SegmentOutOfBounds, "image runs past the end");
    if (!full) return r;

    uint8_t stored_checksum = 0;
    if (!src.read(pos, &stored_checksum, 1)) return fail(ImageError::Unreadable, "cannot read the checksum");
    if (stored_checksum != checksum) {
        std::snprintf(msg, sizeof msg, "checksum byte at 0x%x is 0x%02X, segments give 0x%02X", unsigned(pos),
                      stored_checksum, checksum);
        return fail(ImageError::ChecksumMismatch, msg);
    }
    if (h.hash_appended != 1)
        return fail(ImageError::NoAppendedHash, "hash_appended is 0: this firmware only boots hashed images");
    crypto::Sha256 sha;
    for (uint32_t off = 0; off < pos + 1; off += chunk.size()) {
        size_t n = std::min<size_t>(chunk.size(), pos + 1 - off);
        if (!src.read(off, chunk.data(), n)) return fail(ImageError::Unreadable, "cannot read the image");
        sha.update(chunk.data(), n);
    }
    r.info.sha256 = sha.finish();
    uint8_t stored[32];
    if (!src.read(pos + 1, stored, sizeof stored)) return fail(ImageError::Unreadable, "cannot read the hash");
    if (std::memcmp(stored, r.info.sha256.data(), 32) != 0) {
        std::snprintf(msg, sizeof msg, "appended SHA-256 at 0x%x does not match the image contents", unsigned(pos + 1));
        return fail(ImageError::HashMismatch, msg);
    }
    return r;
}

}  // namespace secure_ota
