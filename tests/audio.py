"""A real Ogg/Opus file, made here: what WhatsApp records a voice note as.

No encoder is needed for silence: Opus has a 3-byte packet for a 20 ms frame of it (TOC 0xF8,
CELT-only fullband 20 ms, then a frame that decodes to silence), and the Ogg container around
it (RFC 7845: an OpusHead page, an OpusTags page, the audio pages with their granule positions
and CRCs) is written byte by byte, so any Ogg/Opus decoder reads the file.
"""

from __future__ import annotations

import struct

SILENT_FRAME = b"\xf8\xff\xfe"  # one 20 ms Opus packet of silence
SAMPLES_PER_FRAME = 960  # 20 ms at Opus's 48 kHz granule rate
PRE_SKIP = 312
_SERIAL = 0x0F17
_MAX_SEGMENTS = 255


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_TABLE = _crc_table()


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04c11db7, no reflection, initial 0)."""
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def _page(packets: list[bytes], sequence: int, granule: int, flags: int) -> bytes:
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    assert len(lacing) <= _MAX_SEGMENTS
    header = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, _SERIAL, sequence, 0, len(lacing))
    page = header + bytes(lacing) + b"".join(packets)
    crc = ogg_crc(page)
    return page[:22] + struct.pack("<I", crc) + page[26:]


def ogg_opus(seconds: float = 1.0) -> bytes:
    """`seconds` of mono silence as an Ogg/Opus file."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, PRE_SKIP, 48_000, 0, 0)
    vendor = b"course-advisor tests"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    pages = [_page([head], 0, 0, 0x02), _page([tags], 1, 0, 0x00)]
    frames = max(1, round(seconds * 1000 / 20))
    sequence, written = 2, 0
    while written < frames:
        batch = min(frames - written, 200)
        written += batch
        flags = 0x04 if written == frames else 0x00
        pages.append(_page([SILENT_FRAME] * batch, sequence, PRE_SKIP + written * SAMPLES_PER_FRAME, flags))
        sequence += 1
    return b"".join(pages)
