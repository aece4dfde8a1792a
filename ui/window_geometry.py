"""The window's size and place kept between starts, whatever the screen's scaling.

Qt keeps a window's geometry in logical pixels: a window filling a 1280×720 screen at
150% scaling is 853×480 logical pixels, and restored on the same screen at 100% it would
fill only two thirds of it.  So the scale it was saved at is kept beside it, and on
restoring at another scale the window is resized by the ratio (the same size in the
screen's own pixels), then kept within the screen's free area (never larger than the
screen, never off it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QWidget

from ui.settings import PersonSettings, store

LAST = "last"  # the geometry shown before anyone is signed in


def _scale(window: QWidget) -> float:
    screen = window.screen()
    return float(screen.devicePixelRatio()) if screen is not None else 1.0


def save_geometry(window: QWidget, person: PersonSettings | None) -> None:
    geometry, scale = window.saveGeometry(), _scale(window)
    settings = store()
    settings.setValue(f"{LAST}/geometry", geometry)
    settings.setValue(f"{LAST}/scale", scale)
    settings.sync()
    if person is not None:
        person.put_many({"window/geometry": geometry, "window/scale": scale})


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def restore_geometry(window: QWidget, person: PersonSettings | None) -> bool:
    """The size and place kept for ``person`` (or from the last start); False if none."""
    if person is not None:
        geometry, scale = person.get_bytes("window/geometry"), person.get("window/scale")
    else:
        value = store().value(f"{LAST}/geometry")
        geometry = value if isinstance(value, QByteArray) and not value.isEmpty() else None
        scale = store().value(f"{LAST}/scale")
    if geometry is None or not window.restoreGeometry(geometry):
        return False
    saved = _float(scale)
    now = _scale(window)
    if saved is not None and abs(saved - now) > 0.01 and not window.isMaximized():
        ratio = saved / now
        window.resize(round(window.width() * ratio), round(window.height() * ratio))
    keep_on_screen(window)
    return True


def keep_on_screen(window: QWidget) -> None:
    """Never larger than the screen's free area, and never off it."""
    screen = window.screen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    free: QRect = screen.availableGeometry()
    if free.isEmpty():
        return
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    width = min(window.width(), free.width() - extra_w)
    height = min(window.height(), free.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
    frame = window.frameGeometry()
    x = min(max(frame.x(), free.left()), free.right() - frame.width() + 1)
    y = min(max(frame.y(), free.top()), free.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
