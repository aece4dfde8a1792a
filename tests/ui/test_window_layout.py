"""The window's size kept across scalings, and column widths kept never cutting a heading
(issue 25, item 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import MANAGER
from ui.main_window import MainWindow
from ui.settings import PersonSettings
from ui.window_geometry import restore_geometry, save_geometry


def saved_window(qtbot: Any, width: int, height: int, person: PersonSettings) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(width, height)
    window.move(10, 10)
    window.show()
    qtbot.waitExposed(window)
    save_geometry(window, person)
    window.close()


def test_a_size_saved_at_150_percent_is_as_big_on_the_screen_at_100(qtbot: Any) -> None:
    person = PersonSettings("megan.hughes")
    saved_window(qtbot, 500, 340, person)
    # As if saved on a screen at 150%: the same logical size stood for 750×510 pixels.
    person.put("window/scale", 1.5)
    window = QWidget()
    qtbot.addWidget(window)
    assert window.screen().devicePixelRatio() == 1.0
    assert restore_geometry(window, person)
    assert (window.width(), window.height()) == (750, 510)


def test_a_size_from_another_scale_never_outgrows_the_screen(qtbot: Any) -> None:
    person = PersonSettings("ann.wright")
    saved_window(qtbot, 700, 700, person)
    person.put("window/scale", 2.0)  # 1400×1400 pixels: more than this screen has
    window = QWidget()
    qtbot.addWidget(window)
    restore_geometry(window, person)
    free = window.screen().availableGeometry()
    assert window.width() <= free.width() and window.height() <= free.height()
    assert free.contains(window.frameGeometry().topLeft())


def test_the_same_scale_restores_the_same_size(qtbot: Any) -> None:
    person = PersonSettings("sara.khan")
    saved_window(qtbot, 640, 420, person)
    window = QWidget()
    qtbot.addWidget(window)
    assert restore_geometry(window, person)
    assert (window.width(), window.height()) == (640, 420)


def test_drift_review_widths_kept_too_narrow_are_widened_to_the_headings(
    window_as: Callable[..., MainWindow], qtbot: Any
) -> None:
    window = window_as(MANAGER)
    review = window.drift_review
    header = review.table.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, 20)  # narrowed by hand, then kept
    person = window.person
    review.save_settings(person)
    window.close()

    again = window_as(MANAGER)
    header = again.drift_review.table.horizontalHeader()
    QApplication.processEvents()
    qtbot.wait(50)
    model = header.model()
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        heading = model.headerData(column, header.orientation())
        assert header.sectionSize(column) >= header.sectionSizeHint(column), heading
