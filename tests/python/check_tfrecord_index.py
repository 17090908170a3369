#!/usr/bin/python3
"""Independent check of TFRecord index files (the format of DALI's and PyTorch tfrecord's tfrecord2idx).

For each DATA INDEX pair: every index line is "<offset> <length>" (two decimal numbers, one space, a line end); the
first offset is 0, each next offset is the previous offset plus its length, and the last record ends at the file's
size; the bytes at each offset and length are one framed record (8-byte little-endian payload length, masked CRC32C
of it, payload, masked CRC32C of the payload) whose length field agrees with the line and whose two CRCs check
(crc32c module). Shares no code with the C# library.

Usage: check_tfrecord_index.py DATA INDEX [DATA INDEX ...]
Prints one line per pair, "<records> <DATA>", on success (exit 0); the first disagreement on stderr (exit 1);
exit 3 when the crc32c module is missing.
"""

import os
import re
import struct
import sys

try:
    import crc32c
except ImportError as e:  # pragma: no cover - reported to the C# test, which fails with this text
    print(f"missing Python module ({e}): apt-get install python3-crc32c", file=sys.stderr)
    sys.exit(3)

MASK_DELTA = 0xA282EAD8
LINE = re.compile(rb"^([0-9]+) ([0-9]+)\n$")


def masked_crc(data):
    crc = crc32c.crc32c(data) & 0xFFFFFFFF
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + MASK_DELTA) & 0xFFFFFFFF


def check(data_path, index_path):
    size = os.path.getsize(data_path)
    with open(index_path, "rb") as f:
        lines = f.readlines()
    expected = 0
    with open(data_path, "rb") as data:
        for number, line in enumerate(lines, 1):
            m = LINE.match(line)
            if not m:
                raise ValueError(f"{index_path}:{number}: not '<offset> <length>\\n': {line!r}")
            offset, length = int(m.group(1)), int(m.group(2))
            if offset != expected:
                raise ValueError(f"{index_path}:{number}: offset {offset}, but the previous record ends at {expected}")
            data.seek(offset)
            record = data.read(length)
            if len(record) != length or length < 16:
                raise ValueError(f"{index_path}:{number}: {length} bytes at {offset} run past the end of {data_path} ({size} bytes)")
            payload_length, length_crc = struct.unpack("<QI", record[:12])
            if masked_crc(record[:8]) != length_crc:
                raise ValueError(f"{index_path}:{number}: the record at {offset} has a bad length CRC")
            if payload_length + 16 != length:
                raise ValueError(f"{index_path}:{number}: the record at {offset} is {payload_length + 16} bytes framed, the line says {length}")
            payload = record[12:12 + payload_length]
            (data_crc,) = struct.unpack("<I", record[12 + payload_length:])
            if masked_crc(payload) != data_crc:
                raise ValueError(f"{index_path}:{number}: the record at {offset} has a bad data CRC")
            expected = offset + length
    if expected != size:
        raise ValueError(f"{index_path}: the records listed end at byte {expected}, but {data_path} has {size} bytes")
    return len(lines)


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    for i in range(0, len(argv), 2):
        try:
            records = check(argv[i], argv[i + 1])
        except ValueError as e:
            print(str(e), file=sys.stderr)
            return 1
        print(f"{records} {argv[i]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
