#include "factory.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "board_environment.h"
#include "efuse_file.h"
#include "flash_file.h"
#include "secure_ota/app_image.h"
#include "secure_ota/factory_data.h"

namespace vesp32 {
namespace {

constexpr uint32_t kBootloaderOffset = 0x1000;

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

int fail(const std::string& msg) {
    std::fprintf(stderr, "virtual-esp32 factory: %s\n", msg.c_str());
    return 1;
}

// The real chip's ROM loads a 2nd-stage bootloader from 0x1000. The virtual board runs its
// bootloader natively, so this image only marks the spot: same format, host chip id, one
// segment that says where the code really is. esptool image_info can read it.
std::vector<uint8_t> bootloader_placeholder() {
    secure_ota::ImageHeader h;
    h.chip_id = secure_ota::chip_id::kHost;
    h.entry_addr = 0x40080400;
    std::string note = "virtual-esp32: the 2nd stage bootloader runs natively in the board supervisor";
    std::vector<secure_ota::ImageSegment> segs{{0x3FFF0000, std::vector<uint8_t>(note.begin(), note.end())}};
    return secure_ota::AppImageBuilder::build(h, segs);
}

}  // namespace

int write_factory_flash(const FactoryOptions& opt) {
    std::vector<uint8_t> app;
    if (!read_file(opt.app_image_path, app))
        return fail("cannot read app image '" + opt.app_image_path + "' (build it with esp32-firmware/host-build.sh)");
    secure_ota::MemoryByteSource src(app);
    auto v = secure_ota::AppImageVerifier(secure_ota::chip_id::kHost).verify(src);
    if (!v.ok())
        return fail("'" + opt.app_image_path + "' is not a valid host app image: " + to_string(v.error) + ": " + v.detail);

    std::optional<secure_ota::FactoryData> fd;
    std::vector<uint8_t> fd_bytes;
    if (opt.factory_data_path) {
        if (!read_file(*opt.factory_data_path, fd_bytes)) return fail("cannot read factory data '" + *opt.factory_data_path + "'");
        std::string err;
        fd = secure_ota::FactoryData::parse(fd_bytes.data(), fd_bytes.size(), err);
        if (!fd) return fail("'" + *opt.factory_data_path + "' is not valid factory data: " + err + " (format: docs/factory-data.md)");
        if (fd_bytes.size() > secure_ota::kFactoryDataSize) {
            // Trailing 0xFF padding up to the partition size is fine; content beyond is not.
            for (size_t i = secure_ota::kFactoryDataSize; i < fd_bytes.size(); ++i)
                if (fd_bytes[i] != 0xFF) return fail("factory data is larger than its 8 KiB partition");
            fd_bytes.resize(secure_ota::kFactoryDataSize);
        }
        if (fd->product != v.info.descriptor.project_name)
            std::fprintf(stderr, "virtual-esp32 factory: warning: factory data product '%s' differs from the app's '%s'\n",
                         fd->product.c_str(), v.info.descriptor.project_name.c_str());
    }

    secure_ota::PartitionTable table = secure_ota::product_table(opt.layout);
    const secure_ota::PartitionEntry* slot = opt.layout == secure_ota::Layout::TwoOta ? table.factory_app()
                                                                                     : table.ota_slots().at(0);
    if (app.size() > slot->size)
        return fail("app image is " + std::to_string(app.size()) + " bytes, slot '" + slot->label + "' holds " +
                    std::to_string(slot->size));

    std::string err;
    auto file = FlashFile::create_erased(opt.flash_path, err);
    if (!file) return fail(err);
    auto& flash = file->nor();
    auto boot = bootloader_placeholder();
    auto table_bin = table.serialize();
    bool ok = flash.write(kBootloaderOffset, boot.data(), boot.size()) == secure_ota::FlashStatus::Ok &&
              flash.write(secure_ota::kPartitionTableOffset, table_bin.data(), table_bin.size()) == secure_ota::FlashStatus::Ok &&
              flash.write(slot->offset, app.data(), app.size()) == secure_ota::FlashStatus::Ok;
    if (ok && fd) {
        const auto* part = secure_ota::find_factory_data(table);
        ok = flash.write(part->offset, fd_bytes.data(), fd_bytes.size()) == secure_ota::FlashStatus::Ok;
    }
    if (!ok) return fail("writing the flash file failed: " + flash.last_error());
    if (!EfuseFile::create_blank(EfuseFile::path_for_flash(opt.flash_path), err)) return fail(err);
    // A new chip has an empty NVS: no manifest counter, no remembered rollback.
    for (const char* suffix : kDeviceStateFileSuffixes) {
        for (const std::string& path : {opt.flash_path + suffix, opt.flash_path + suffix + ".tmp"}) {
            if (std::remove(path.c_str()) != 0 && errno != ENOENT)
                return fail("cannot delete the previous board's '" + path + "': " + std::strerror(errno));
        }
    }
    std::printf("factory flash written: %s (layout %s, %s %s in '%s' at 0x%x, %s)\n", opt.flash_path.c_str(),
                secure_ota::to_string(opt.layout), v.info.descriptor.project_name.c_str(),
                v.info.descriptor.version.c_str(), slot->label.c_str(), slot->offset,
                fd ? ("provisioned as " + fd->device_id).c_str() : "unprovisioned");
    return 0;
}

}  // namespace vesp32
