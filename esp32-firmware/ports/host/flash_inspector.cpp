#include "flash_inspector.h"

#include <cstdio>

#include "efuse_file.h"
#include "flash_file.h"
#include "secure_ota/app_image.h"
#include "secure_ota/factory_data.h"
#include "secure_ota/ota_data.h"
#include "secure_ota/partition_layouts.h"

namespace vesp32 {

int inspect_flash(const std::string& path) {
    std::string err;
    auto file = FlashFile::open(path, err);
    if (!file) {
        std::fprintf(stderr, "virtual-esp32 inspect: %s\n", err.c_str());
        return 1;
    }
    auto& flash = file->nor();
    auto table = secure_ota::PartitionTable::read(flash, err);
    if (!table) {
        std::fprintf(stderr, "virtual-esp32 inspect: %s\n", err.c_str());
        return 1;
    }
    std::printf("partition table at 0x8000 (MD5 ok):\n");
    for (const auto& e : table->entries())
        std::printf("  %-16s %-14s 0x%06x 0x%06x\n", e.label.c_str(),
                    (e.type_name() + "/" + e.subtype_name()).c_str(), e.offset, e.size);
    if (const auto* od = table->otadata()) {
        secure_ota::OtaDataPair pair;
        secure_ota::OtaData(flash, *od).read(pair);
        int active = secure_ota::active_otadata_index(pair);
        for (int i = 0; i < 2; ++i) {
            const auto& x = pair[i];
            if (x.is_blank()) std::printf("otadata[%d]: blank\n", i);
            else
                std::printf("otadata[%d]: seq %u state %s crc 0x%08x (%s)%s\n", i, x.ota_seq, to_string(x.ota_state),
                            x.crc, x.crc_ok() ? "ok" : "BAD", i == active ? " <- active" : "");
        }
    }
    for (const auto* slot : table->app_slots()) {
        auto v = secure_ota::AppImageVerifier(secure_ota::chip_id::kHost)
                     .verify(secure_ota::PartitionByteSource(flash, *slot));
        if (v.ok())
            std::printf("slot %-8s %s %s secure_version %u, %u bytes, valid\n", slot->label.c_str(),
                        v.info.descriptor.project_name.c_str(), v.info.descriptor.version.c_str(),
                        v.info.descriptor.secure_version, v.info.image_length);
        else
            std::printf("slot %-8s no valid image: %s\n", slot->label.c_str(), v.detail.c_str());
    }
    if (const auto* fdp = secure_ota::find_factory_data(*table)) {
        auto fd = secure_ota::FactoryData::read(flash, *fdp, err);
        if (fd) std::printf("factory data: device %s, product %s, server %s\n", fd->device_id.c_str(), fd->product.c_str(), fd->server_url.c_str());
        else std::printf("factory data: %s\n", err.c_str());
    }
    std::printf("anti-rollback minimum secure_version (eFuse): %u\n",
                EfuseFile(EfuseFile::path_for_flash(path)).min_secure_version());
    return 0;
}

}  // namespace vesp32
