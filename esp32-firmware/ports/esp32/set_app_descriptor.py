#!/usr/bin/env python3
"""Stamp the product's version into a built ESP32 app image's esp_app_desc_t.

Arduino-ESP32 links a prebuilt app descriptor whose version is the SDK's, not ours, yet
OTA compares versions and anti-rollback compares secure_version. This rewrites
version/project_name/secure_version in the descriptor (file offset 0x20), then recomputes
the image checksum and the appended SHA-256 exactly as esptool's elf2image does, so the
bootloader and esp_image_verify() accept the result.

Used two ways:
  - PlatformIO extra script (platformio.ini: extra_scripts = post:ports/esp32/set_app_descriptor.py,
    custom_app_version = 1.0.0, custom_secure_version = 1): runs after firmware.bin is built;
  - by hand: set_app_descriptor.py IMAGE --version 1.0.0 --project shop-display --secure-version 1
"""
import hashlib
import struct
import sys

DESC_OFFSET = 0x20
DESC_MAGIC = 0xABCD5432


def stamp(path, version, project, secure_version):
    with open(path, "rb") as f:
        img = bytearray(f.read())
    if img[0] != 0xE9:
        raise SystemExit("%s: not an ESP32 app image (first byte 0x%02X, expected 0xE9)" % (path, img[0]))
    if struct.unpack_from("<I", img, DESC_OFFSET)[0] != DESC_MAGIC:
        raise SystemExit("%s: no esp_app_desc_t at offset 0x20" % path)
    if len(version.encode()) > 31 or len(project.encode()) > 31:
        raise SystemExit("version and project name are at most 31 bytes")
    struct.pack_into("<I", img, DESC_OFFSET + 4, secure_version)
    img[DESC_OFFSET + 16:DESC_OFFSET + 48] = version.encode().ljust(32, b"\0")
    img[DESC_OFFSET + 48:DESC_OFFSET + 80] = project.encode().ljust(32, b"\0")

    # Walk the segments to recompute the checksum (0xEF XOR all segment data).
    count, pos, checksum = img[1], 24, 0xEF
    for _ in range(count):
        _addr, length = struct.unpack_from("<II", img, pos)
        for b in img[pos + 8:pos + 8 + length]:
            checksum ^= b
        pos += 8 + length
    pos += 15 - (pos % 16)
    img[pos] = checksum
    if img[23] == 1:  # hash appended
        img[pos + 1:pos + 33] = hashlib.sha256(bytes(img[:pos + 1])).digest()
        del img[pos + 33:]
    with open(path, "wb") as f:
        f.write(img)


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image")
    ap.add_argument("--version", required=True)
    ap.add_argument("--project", default="shop-display")
    ap.add_argument("--secure-version", type=int, default=1)
    a = ap.parse_args(argv)
    stamp(a.image, a.version, a.project, a.secure_version)


try:
    Import("env")  # noqa: F821 - defined when PlatformIO (SCons) runs this file
except NameError:
    if __name__ == "__main__":
        main(sys.argv[1:])
else:
    def _after_bin(source, target, env):  # noqa: ARG001
        stamp(str(target[0]),
              env.GetProjectOption("custom_app_version"),
              env.GetProjectOption("custom_app_project", "shop-display"),
              int(env.GetProjectOption("custom_secure_version", "1")))

    env.AddPostAction("$BUILD_DIR/${PROGNAME}.bin", _after_bin)  # noqa: F821
