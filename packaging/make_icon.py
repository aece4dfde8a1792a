"""Draw PLO Tracker's program icon and write it as packaging/icons/plo-tracker.ico (every
size Windows asks for, each a PNG inside the .ico) and plo-tracker.png (256 px).

    .venv/bin/python packaging/make_icon.py

Drawn with Qt (no image files to license): a blue rounded square with a white timeline of
three steps, the last one amber (a case drifting).  The output is committed; run this only
to change the icon.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

SIZES = (16, 24, 32, 48, 64, 128, 256)
HERE = Path(__file__).resolve().parent / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = size / 256
    painter.scale(scale, scale)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1f4e8c"))
    painter.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    painter.setPen(QPen(QColor("white"), 18, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(48, 128), QPointF(208, 128))
    painter.setPen(Qt.PenStyle.NoPen)
    for x, colour in ((64, "white"), (128, "white"), (192, "#f5a623")):
        painter.setBrush(QColor(colour))
        painter.drawEllipse(QPointF(x, 128), 26, 26)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An .ico holding PNG images (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images:
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    HERE.mkdir(exist_ok=True)
    images = [(size, png_bytes(draw(size))) for size in SIZES]
    (HERE / "plo-tracker.ico").write_bytes(ico_bytes(images))
    (HERE / "plo-tracker.png").write_bytes(images[-1][1])
    print(f"Wrote {HERE / 'plo-tracker.ico'} ({', '.join(str(s) for s in SIZES)} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
