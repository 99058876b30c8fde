#!/usr/bin/env python3
"""Independent reader of ESP-IDF binary formats, for the workbench's tests.

Written from ESP-IDF's and esptool's own definitions, with nothing but the standard library, so that
it shares no code with the Java implementation it checks:

- partition table: gen_esp32part.py (PartitionTable.from_binary, struct '<2sBBLL16sL', MD5 record)
- otadata: esp_ota_select_entry_t, crc = zlib.crc32(struct.pack('<I', seq), 0xFFFFFFFF)
- app image: esptool's ESP32FirmwareImage (24-byte header, segments, checksum 0xEF ^ data,
  16-byte alignment, appended SHA-256) and esp_app_desc_t.

Usage: esp32_formats_check.py table|otadata|image FILE   prints one JSON object
       esp32_formats_check.py write-table OUT           writes partitions_two_ota.csv's binary
       esp32_formats_check.py write-otadata OUT SEQ0 STATE0 SEQ1 STATE1   (-1 = erased sector)
"""
import hashlib
import json
import struct
import sys
import zlib

ENTRY = struct.Struct('<2sBBLL16sL')
MD5_BEGIN = b'\xEB\xEB' + b'\xFF' * 14
MAX_TABLE = 0xC00


def read_table(data):
    entries = []
    md5 = hashlib.md5()
    md5_ok = None
    for o in range(0, len(data), 32):
        chunk = data[o:o + 32]
        if len(chunk) != 32:
            raise ValueError('table length must be a multiple of 32')
        if chunk == b'\xFF' * 32:
            break
        if chunk[:2] == MD5_BEGIN[:2]:
            md5_ok = chunk[16:] == md5.digest()
            continue
        md5.update(chunk)
        magic, ptype, subtype, offset, size, name, flags = ENTRY.unpack(chunk)
        if magic != b'\xAA\x50':
            raise ValueError('invalid magic %r at %d' % (magic, o))
        entries.append({'label': name.rstrip(b'\x00').decode(), 'type': ptype, 'subtype': subtype,
                        'offset': offset, 'size': size, 'flags': flags})
    return {'entries': entries, 'md5_ok': md5_ok, 'md5': md5.hexdigest()}


def write_two_ota_table():
    # partitions_two_ota.csv, placed as gen_esp32part places it on a 4 MB flash.
    rows = [('nvs', 1, 2, 0x9000, 0x4000), ('otadata', 1, 0, 0xD000, 0x2000), ('phy_init', 1, 1, 0xF000, 0x1000),
            ('factory', 0, 0, 0x10000, 0x100000), ('ota_0', 0, 0x10, 0x110000, 0x100000),
            ('ota_1', 0, 0x11, 0x210000, 0x100000)]
    out = b''.join(ENTRY.pack(b'\xAA\x50', t, s, o, z, n.encode(), 0) for n, t, s, o, z in rows)
    out += MD5_BEGIN + hashlib.md5(out).digest()
    return out + b'\xFF' * (MAX_TABLE - len(out))


def ota_crc(seq):
    return zlib.crc32(struct.pack('<I', seq), 0xFFFFFFFF) & 0xFFFFFFFF


def read_otadata(data):
    entries = []
    for base in (0, 0x1000):
        seq, label, state, crc = struct.unpack('<I20sII', data[base:base + 32])
        entries.append({'seq': seq, 'state': state, 'crc': crc, 'crc_ok': crc == ota_crc(seq),
                        'label_ff': label == b'\xFF' * 20})
    return {'entries': entries, 'crc_of': {str(s): ota_crc(s) for s in (1, 2, 3)}}


def write_otadata(seq0, state0, seq1, state1):
    out = bytearray(b'\xFF' * 0x2000)
    for base, seq, state in ((0, seq0, state0), (0x1000, seq1, state1)):
        if seq >= 0:
            out[base:base + 32] = struct.pack('<I20sII', seq, b'\xFF' * 20, state, ota_crc(seq))
    return bytes(out)


def read_image(data):
    (magic, count, spi_mode, spi_speed_size, entry, wp, d0, d1, d2, chip_id, min_rev, min_rev_full,
     max_rev_full, _reserved, hash_appended) = struct.unpack('<BBBBIBBBBHBHH4sB', data[:24])
    pos = 24
    checksum = 0xEF
    segments = []
    for _ in range(count):
        addr, length = struct.unpack('<II', data[pos:pos + 8])
        seg = data[pos + 8:pos + 8 + length]
        if len(seg) != length:
            raise ValueError('segment runs past the end')
        for b in seg:
            checksum ^= b
        segments.append({'load_addr': addr, 'length': length, 'offset': pos})
        pos += 8 + length
    pos += 15 - (pos % 16)  # esptool align_file_position(f, 16) before the checksum byte
    stored = data[pos]
    end = pos + 1
    sha_ok = None
    if hash_appended == 1:
        sha_ok = hashlib.sha256(data[:end]).digest() == data[end:end + 32]
        end += 32
    desc = data[segments[0]['offset'] + 8:segments[0]['offset'] + 8 + 256]
    d_magic, secure_version = struct.unpack('<II', desc[:8])
    version, project, time_s, date_s, idf = struct.unpack('<32s32s16s16s32s', desc[16:144])

    def cstr(b):
        return b.split(b'\x00', 1)[0].decode('ascii')
    return {'magic': magic, 'chip_id': chip_id, 'entry': entry, 'wp_pin': wp, 'spi_mode': spi_mode,
            'hash_appended': hash_appended, 'segments': segments, 'checksum_stored': stored,
            'checksum_computed': checksum, 'sha256_ok': sha_ok, 'image_end': end, 'file_size': len(data),
            'sha256': hashlib.sha256(data).hexdigest(),
            'app': {'magic': d_magic, 'secure_version': secure_version, 'version': cstr(version),
                    'project_name': cstr(project), 'time': cstr(time_s), 'date': cstr(date_s), 'idf_ver': cstr(idf)}}


def main(argv):
    cmd = argv[1]
    if cmd.startswith('write-'):
        data = write_two_ota_table() if cmd == 'write-table' else write_otadata(*map(int, argv[3:7]))
        with open(argv[2], 'wb') as f:
            f.write(data)
        return
    with open(argv[2], 'rb') as f:
        data = f.read()
    result = {'table': read_table, 'otadata': read_otadata, 'image': read_image}[cmd](data)
    print(json.dumps(result, sort_keys=True))


if __name__ == '__main__':
    main(sys.argv)
