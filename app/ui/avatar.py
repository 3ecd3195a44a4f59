"""A contact's avatar: the photo, else initials on a colour derived from the name.

The colour is a pure function of the name, so a contact keeps its colour across restarts and
machines, and two contacts seen side by side rarely share one. Every colour of the palette
carries white initials at 3:1 or better (WCAG's figure for large text: initials are drawn at
least 18 pt bold), which a test computes.
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap

PALETTE = (
    "#1565c0",  # blue
    "#00838f",  # teal
    "#2e7d32",  # green
    "#6a1b9a",  # purple
    "#ad1457",  # raspberry
    "#c62828",  # red
    "#d84315",  # deep orange
    "#4e342e",  # brown
    "#37474f",  # slate
    "#283593",  # indigo
    "#00695c",  # pine
    "#5d4037",  # umber
)
"""Avatar backgrounds; white text on each is at least 3:1."""

INITIALS_COLOUR = "#ffffff"


def initials(name: str) -> str:
    """Up to two initials of a display name ("Ada Lovelace" -> "AL"); "" when it has none.

    Words that do not start with a letter or digit ("(work)", "&") are skipped, so that a
    name like "Smith & Co" reads "SC".
    """
    letters = [w[0] for w in name.split() if w[0].isalnum()]
    if len(letters) > 2:
        letters = [letters[0], letters[-1]]
    return "".join(letters).upper()


def colour_for(name: str) -> QColor:
    """The avatar colour of a name: stable (CRC-32 of its case-folded text), spread evenly."""
    key = " ".join(name.casefold().split())
    return QColor(PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)])


def _circle(size: int, dpr: float) -> tuple[QPixmap, QPainter, QPainterPath]:
    pixmap = QPixmap(round(size * dpr), round(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    path = QPainterPath()
    path.addEllipse(QRectF(0, 0, size, size))
    return pixmap, painter, path


def photo_avatar(data: bytes, size: int, dpr: float = 1.0) -> QPixmap | None:
    """The photo cropped to a circle of `size` pixels, or None when the bytes are no picture."""
    image = QImage()
    if not data or not image.loadFromData(data):
        return None
    side = min(image.width(), image.height())
    square = image.copy(
        (image.width() - side) // 2, (image.height() - side) // 2, side, side
    ).scaled(
        round(size * dpr),
        round(size * dpr),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    square.setDevicePixelRatio(dpr)
    pixmap, painter, path = _circle(size, dpr)
    painter.setClipPath(path)
    painter.drawImage(0, 0, square)
    painter.end()
    return pixmap


def initials_avatar(name: str, size: int, dpr: float = 1.0) -> QPixmap:
    """The name's initials, white and bold, on its colour in a circle of `size` pixels."""
    pixmap, painter, path = _circle(size, dpr)
    painter.fillPath(path, colour_for(name))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, round(size * 0.4)))
    painter.setFont(font)
    painter.setPen(QColor(INITIALS_COLOUR))
    text = initials(name) or "?"
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def avatar(name: str, photo: bytes | None, size: int, dpr: float = 1.0) -> QPixmap:
    """The photo when there is one that reads, else the initials avatar."""
    if photo:
        pixmap = photo_avatar(photo, size, dpr)
        if pixmap is not None:
            return pixmap
    return initials_avatar(name, size, dpr)
