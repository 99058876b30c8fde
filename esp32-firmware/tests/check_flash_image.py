#!/usr/bin/env python3
"""Independent reader of a virtual ESP32 flash file.

Written from ESP-IDF's documented formats with nothing but the standard library, the way
gen_esp32part.py (partition table), otatool.py (otadata) and esptool's image_info (app
images) read them, so that it shares no code, and no bugs, with the C++ it checks.

It factory-flashes a board in both layouts, boots it once on its pty, then reads the flash
file and checks: the partition table and its MD5 (including ESP-IDF's golden vectors),
otadata entries and their CRCs, every app image's checksum and SHA-256 and its app
descriptor, and the factory data partition.
"""
import argparse
import hashlib
import os
import select
import struct
import subprocess
import sys
import time
import zlib

FLASH_SIZE = 0x400000
TABLE_OFFSET = 0x8000
FACTORY_DATA_OFFSET = 0x3EE000

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


# --- partition table (gen_esp32part.py) ---
def table_bytes(entries):
    out = b""
    for (label, ptype, subtype, offset, size) in entries:
        out += struct.pack("<2sBBLL16sL", b"\xAA\x50", ptype, subtype, offset, size, label.encode(), 0)
    return out


def parse_table(blob):
    entries, md5_ok = [], None
    for i in range(0, 0xC00, 32):
        raw = blob[i:i + 32]
        magic = raw[:2]
        if magic == b"\xFF\xFF":
            break
        if magic == b"\xEB\xEB":
            md5_ok = raw[16:32] == hashlib.md5(blob[:i]).digest()
            continue
        check(magic == b"\xAA\x50", "table entry %d magic" % (i // 32))
        _, ptype, subtype, offset, size, label, flags = struct.unpack("<2sBBLL16sL", raw)
        entries.append((label.rstrip(b"\0").decode(), ptype, subtype, offset, size))
    return entries, md5_ok


TWO_OTA = [("nvs", 1, 2, 0x9000, 0x4000), ("otadata", 1, 0, 0xD000, 0x2000), ("phy_init", 1, 1, 0xF000, 0x1000),
           ("factory", 0, 0x00, 0x10000, 0x100000), ("ota_0", 0, 0x10, 0x110000, 0x100000),
           ("ota_1", 0, 0x11, 0x210000, 0x100000)]
ARDUINO_DEFAULT = [("nvs", 1, 2, 0x9000, 0x5000), ("otadata", 1, 0, 0xE000, 0x2000),
                   ("app0", 0, 0x10, 0x10000, 0x140000), ("app1", 0, 0x11, 0x150000, 0x140000),
                   ("spiffs", 1, 0x82, 0x290000, 0x160000), ("coredump", 1, 3, 0x3F0000, 0x10000)]
FACTORY_DATA = ("factory_data", 0x40, 0x00, FACTORY_DATA_OFFSET, 0x2000)


def expected_table(layout):
    if layout == "two_ota":
        return TWO_OTA + [FACTORY_DATA]
    entries = [e if e[0] != "spiffs" else ("spiffs", 1, 0x82, 0x290000, 0x15E000) for e in ARDUINO_DEFAULT]
    return entries + [FACTORY_DATA]


# --- otadata (otatool.py) ---
def ota_crc(seq):
    return zlib.crc32(struct.pack("<I", seq), 0xFFFFFFFF) & 0xFFFFFFFF


STATES = {0: "NEW", 1: "PENDING_VERIFY", 2: "VALID", 3: "INVALID", 4: "ABORTED", 0xFFFFFFFF: "UNDEFINED"}


def parse_otadata(blob):
    out = []
    for i in range(2):
        seq, label, state, crc = struct.unpack("<I20sII", blob[i * 0x1000:i * 0x1000 + 32])
        out.append({"seq": seq, "state": state, "crc": crc,
                    "valid": seq != 0xFFFFFFFF and crc == ota_crc(seq) and state not in (3, 4)})
    return out


# --- app image (esptool image_info) ---
def parse_image(blob, where, app=True):
    magic, nseg, _mode, _speed, _entry = struct.unpack("<BBBBI", blob[:8])
    chip = struct.unpack("<H", blob[12:14])[0]
    hash_appended = blob[23]
    if not check(magic == 0xE9, "%s: magic 0xE9" % where):
        return None
    check(1 <= nseg <= 16, "%s: segment count" % where)
    check(chip == 0xFFFF, "%s: host chip id 0xFFFF" % where)
    pos, checksum = 24, 0xEF
    for _ in range(nseg):
        _addr, length = struct.unpack("<II", blob[pos:pos + 8])
        check(length % 4 == 0, "%s: segment length multiple of 4" % where)
        for b in blob[pos + 8:pos + 8 + length]:
            checksum ^= b
        pos += 8 + length
    pos += 15 - (pos % 16)  # esptool pads so the checksum byte ends a 16-byte block
    check(blob[pos] == checksum, "%s: checksum byte" % where)
    check(hash_appended == 1, "%s: hash appended" % where)
    digest = hashlib.sha256(blob[:pos + 1]).digest()
    check(blob[pos + 1:pos + 33] == digest, "%s: appended SHA-256" % where)
    desc = {"length": pos + 33}
    if not app:  # a bootloader image has no esp_app_desc_t
        return desc
    dmagic, secure_version = struct.unpack("<II", blob[0x20:0x28])
    if check(dmagic == 0xABCD5432, "%s: esp_app_desc_t magic" % where):
        desc["secure_version"] = secure_version
        desc["version"] = blob[0x30:0x50].split(b"\0")[0].decode()
        desc["project_name"] = blob[0x50:0x70].split(b"\0")[0].decode()
    return desc


# --- factory data (docs/factory-data.md) ---
def parse_factory_data(blob):
    magic, version, count, length, crc = struct.unpack("<4sHHII", blob[:16])
    if not check(magic == b"SOFD", "factory data magic"):
        return None
    check(version == 1, "factory data version 1")
    check(zlib.crc32(blob[:12] + blob[16:16 + length]) & 0xFFFFFFFF == crc, "factory data CRC-32")
    fields, pos = {}, 16
    for _ in range(count):
        tag, n = struct.unpack("<HH", blob[pos:pos + 4])
        fields[tag] = blob[pos + 4:pos + 4 + n].decode()
        pos += 4 + n
    check(pos == 16 + length, "factory data records fill the declared length")
    return fields


def parse_csv(path):
    """The PlatformIO partition CSV, read like gen_esp32part.py (subset: our two files)."""
    types = {"app": 0, "data": 1}
    subtypes = {"factory": 0, "ota_0": 0x10, "ota_1": 0x11, "ota": 0, "phy": 1, "nvs": 2, "coredump": 3,
                "spiffs": 0x82}

    def num(v):
        v = v.strip()
        if v.upper().endswith("M"):
            return int(v[:-1], 0) * 1024 * 1024
        if v.upper().endswith("K"):
            return int(v[:-1], 0) * 1024
        return int(v, 0)

    rows = []
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            name, ptype, sub, off, size = [c.strip() for c in line.split(",")[:5]]
            rows.append((name, types.get(ptype) if ptype in types else int(ptype, 0),
                         subtypes.get(sub) if sub in subtypes else int(sub, 0), num(off), num(size)))
    return rows


def boot_once(tool, flash, link):
    """Power the board on, read its UART until the app has run its self-test, then stop."""
    board = subprocess.Popen([tool, "run", "--flash", flash, "--pty-link", link],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(link) and time.monotonic() < deadline:
            time.sleep(0.02)
        fd = os.open(link, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        seen = b""
        while b'"ev":"selftest"' not in seen and time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                seen += os.read(fd, 4096)
        os.close(fd)
        check(b'"ev":"selftest"' in seen, "board booted and reported its self-test")
    finally:
        board.communicate("quit\n", timeout=20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--virtual-esp32", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--csv-dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)

    # The reader itself against ESP-IDF's golden vectors first.
    check(hashlib.md5(table_bytes(TWO_OTA)).hexdigest() == "bf25822c0fa6d8641bd930251e06b4c4", "golden MD5 two_ota")
    check(hashlib.md5(table_bytes(ARDUINO_DEFAULT)).hexdigest() == "972dae2ff872a0142d60bad124c0666b",
          "golden MD5 Arduino default")
    check([ota_crc(s) for s in (1, 2, 3)] == [0x4743989A, 0x55F63774, 0xED4A5011], "golden otadata CRCs")

    # The CSVs PlatformIO flashes on real boards describe the same tables as the virtual board.
    for layout, csv in (("default", "partitions_default_factory.csv"), ("two_ota", "partitions_two_ota_factory.csv")):
        check(parse_csv(os.path.join(args.csv_dir, csv)) == expected_table(layout), "%s matches the %s layout" % (csv, layout))

    versions = {"v1_base": "1.0.0", "v2_promo": "2.0.0", "v3_liquid": "3.0.0", "v4_broken": "4.0.0"}
    for name, version in versions.items():
        with open(os.path.join(args.images, name + ".bin"), "rb") as f:
            desc = parse_image(f.read(), name + ".bin")
        if desc:
            check(desc.get("version") == version, "%s version %s" % (name, version))
            check(desc.get("project_name") == "shop-display", "%s project shop-display" % name)

    ca = os.path.join(args.workdir, "ca.pem")
    key = os.path.join(args.workdir, "signing-pub.pem")
    with open(ca, "w") as f:
        f.write("-----BEGIN CERTIFICATE-----\nMIIBindependent\n-----END CERTIFICATE-----\n")
    with open(key, "w") as f:
        f.write("-----BEGIN PUBLIC KEY-----\nMFkwindependent\n-----END PUBLIC KEY-----\n")
    fd_file = os.path.join(args.workdir, "factory-data.bin")
    subprocess.run([args.virtual_esp32, "factory-data", "--device-id", "py-check-01", "--product", "shop-display",
                    "--server-url", "https://127.0.0.1:8443", "--api-key", "py-key", "--ca-cert", ca,
                    "--signing-pubkey", key, "--out", fd_file], check=True)

    for layout in ("default", "two_ota"):
        flash = os.path.join(args.workdir, "flash-%s.bin" % layout)
        link = os.path.join(args.workdir, "tty-%s" % layout)
        subprocess.run([args.virtual_esp32, "factory", "--flash", flash, "--app",
                        os.path.join(args.images, "v1_base.bin"), "--layout", layout, "--factory-data", fd_file],
                       check=True, stdout=subprocess.DEVNULL)
        boot_once(args.virtual_esp32, flash, link)
        with open(flash, "rb") as f:
            blob = f.read()
        check(len(blob) == FLASH_SIZE, "%s: flash is 4 MB" % layout)

        boot = parse_image(blob[0x1000:0x8000], "%s bootloader at 0x1000" % layout, app=False)
        check(boot is not None, "%s: bootloader image at 0x1000" % layout)

        entries, md5_ok = parse_table(blob[TABLE_OFFSET:TABLE_OFFSET + 0x1000])
        check(md5_ok is True, "%s: partition table MD5 record" % layout)
        check(entries == expected_table(layout), "%s: partition table entries %s" % (layout, entries))
        if layout == "two_ota":
            std = blob[TABLE_OFFSET:TABLE_OFFSET + 6 * 32]
            check(hashlib.md5(std).hexdigest() == "bf25822c0fa6d8641bd930251e06b4c4",
                  "two_ota: standard entries are byte-identical to ESP-IDF's")
        ranges = sorted((e[3], e[3] + e[4]) for e in entries)
        check(all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:])), "%s: no overlapping partitions" % layout)

        otadata_entry = [e for e in entries if e[1] == 1 and e[2] == 0][0]
        od = parse_otadata(blob[otadata_entry[3]:otadata_entry[3] + 0x2000])
        if layout == "default":
            # A factory-less board: the bootloader gives blank otadata its first entry.
            check(od[0]["seq"] == 1 and od[0]["crc"] == 0x4743989A and od[0]["state"] == 2,
                  "default: otadata[0] = seq 1 VALID, crc 0x4743989A: %s" % od[0])
        else:
            check(all(e["seq"] == 0xFFFFFFFF for e in od), "two_ota: otadata blank (factory app boots)")
        for e in od:
            if e["seq"] != 0xFFFFFFFF:
                check(e["crc"] == ota_crc(e["seq"]), "%s: otadata CRC of seq %d" % (layout, e["seq"]))

        slot = [e for e in entries if e[1] == 0][0]
        desc = parse_image(blob[slot[3]:slot[3] + slot[4]], "%s slot %s" % (layout, slot[0]))
        check(desc is not None and desc.get("version") == "1.0.0", "%s: V1 in %s" % (layout, slot[0]))
        with open(os.path.join(args.images, "v1_base.bin"), "rb") as f:
            image = f.read()
        check(blob[slot[3]:slot[3] + len(image)] == image, "%s: slot holds the image byte for byte" % layout)

        fields = parse_factory_data(blob[FACTORY_DATA_OFFSET:FACTORY_DATA_OFFSET + 0x2000])
        if fields:
            check(fields.get(1) == "py-check-01" and fields.get(2) == "shop-display" and
                  fields.get(5, "").startswith("-----BEGIN CERTIFICATE-----"), "%s: factory data fields" % layout)
        print("%s: table %d entries, otadata %s, slot %s %s" % (
            layout, len(entries), [(e["seq"], STATES.get(e["state"])) for e in od], slot[0],
            desc.get("version") if desc else None))

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
