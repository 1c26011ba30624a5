"""Read QR images back with a real decoder (zxing-cpp), for tests.

Pillow is not a dependency, so the PNG is unpacked here (zlib + the five PNG row filters) and
the SVG's module lines are rasterised; zxing-cpp then reads the pixels like a phone camera would.
"""

from __future__ import annotations

import re
import struct
import zlib

import numpy as np
import zxingcpp


def _unfilter(raw: bytes, width_bytes: int, height: int, bpp: int) -> list[bytearray]:
    rows: list[bytearray] = []
    prev = bytearray(width_bytes)
    pos = 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1 : pos + 1 + width_bytes])
        pos += 1 + width_bytes
        for i in range(width_bytes):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return rows


def png_pixels(png: bytes) -> np.ndarray:
    """Greyscale pixels (0 black … 255 white) of an 8-bit RGB(A) PNG (a browser screenshot) or
    a greyscale or palette PNG of depth ≤ 8 (segno)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, palette = 8, b"", None
    width = height = depth = colour = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
        elif kind == b"PLTE":
            palette = [data[i] for i in range(0, len(data), 3)]  # red channel: black/white
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    assert colour in (0, 2, 3, 6)
    assert depth <= 8
    if colour in (2, 6):
        channels = 3 if colour == 2 else 4
        rows = _unfilter(zlib.decompress(idat), width * channels, height, channels)
        pixels = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width, channels)
        return pixels[:, :, :3].mean(axis=2).astype(np.uint8)
    width_bytes = (width * depth + 7) // 8
    rows = _unfilter(zlib.decompress(idat), width_bytes, height, 1)
    image = np.zeros((height, width), dtype=np.uint8)
    for y, line in enumerate(rows):
        bits = np.unpackbits(np.frombuffer(bytes(line), dtype=np.uint8))
        if depth < 8:
            values = bits.reshape(-1, depth) @ (1 << np.arange(depth - 1, -1, -1))
        else:
            values = np.frombuffer(bytes(line), dtype=np.uint8)
        values = values[:width]
        if palette is not None:
            values = np.array([palette[v] for v in values])
        elif depth < 8:
            values = values * (255 // ((1 << depth) - 1))
        image[y] = values
    return image


def svg_pixels(svg: str, *, scale: int = 8) -> np.ndarray:
    """Rasterise segno's SVG: one path of horizontal module lines ("M x y", "m dx dy", "h n")."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    grid = np.full((size, size), 255, dtype=np.uint8)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a)
            grid[int(y), int(x) : int(x + length)] = 0
            x += length
    return np.kron(grid, np.ones((scale, scale), dtype=np.uint8))


def read_qr(pixels: np.ndarray) -> list[str]:
    return [
        r.text for r in zxingcpp.read_barcodes(pixels) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
