"""Screens that load their data when they are on screen, not before."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class ReloadWhenShown(QWidget):
    """``refresh()`` reloads now if the screen is visible, else the next time it is shown.

    Subclasses set ``self._stale = True`` in ``__init__`` (so the first showing loads)
    and implement ``_reload()``.
    """

    _stale: bool = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._reload()

    def _reload(self) -> None:
        raise NotImplementedError
