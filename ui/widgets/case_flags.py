"""A case's Flags tab: what is late, the whole explanation, and Review… / Extend… right there.

A team manager reviews a flag where they read it: select it (or arrive on it from
the drift review) and press *Review…* (Enter) or *Extend…*; the review dialog is the
drift review's own.  Others see the buttons switched off, with the reason.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from plo_tracker import clock
from plo_tracker.domain import drift
from plo_tracker.domain.dates import long_date
from plo_tracker.services.flags import may_extend
from ui import formats
from ui.models.case_items import CaseFlagsModel, ConcernRow, FlagRow, ReviewsModel
from ui.widgets.legend import Legend
from ui.widgets.sections import make_table

EXTEND_TEXT = "E&xtend…"
EXTEND_NAME = "Agree an extension of the pre-proceedings period"
EXTEND_TIP = "Agree an extension of the pre-proceedings period to a date (moves its planned end)"
ACCEPT_UNTIL_TEXT = "&Accept the delay until…"
ACCEPT_UNTIL_NAME = "Accept the delay of the selected flag until a date"
ACCEPT_UNTIL_TIP = (
    "Accept this delay until a date (only the pre-proceedings period itself is extended)"
)


def flag_explanation(flag: drift.Flag, as_of: dt.date) -> str:
    """The whole story of one flag, for the words under the list."""
    lines = [
        f"{formats.rule_label(flag.rule)}: {formats.lateness(flag.due, as_of)} "
        f"(due {long_date(flag.due)}).",
        flag.message,
    ]
    review = flag.reviewed
    if review is None:
        lines.append("Not reviewed by a manager yet.")
    else:
        text = f"Delay accepted by {review.by} on {long_date(review.on)}"
        if review.until:
            text += f", until {long_date(review.until)}"
        lines.append(text + ".")
    return "\n".join(lines)


class FlagsPage(QWidget):
    review_requested = Signal(object, bool)  # the drift.Flag, and True for an extension

    def __init__(self, review_refusal: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review_refusal = review_refusal
        self.as_of = clock.today()
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Flags summary")
        layout.addWidget(self.summary)
        self.model = CaseFlagsModel()
        self.table, self.proxy = make_table(self.model, "Flags")
        layout.addWidget(self.table, 2)
        layout.addWidget(
            Legend(
                [
                    (formats.RAG_COLOURS["red"], "Overdue"),
                    (formats.RAG_COLOURS["amber"], "Due soon"),
                    (formats.RAG_COLOURS["accepted"], "Delay accepted by a manager"),
                ],
                "Status colours:",
            )
        )
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("The selected flag, in full")
        self.detail.setStyleSheet("background: palette(base); padding: 6px;")
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("Revie&w…")
        self.review_button.setAccessibleName("Review the selected flag: accept the delay")
        self.extend_button = QPushButton(EXTEND_TEXT)
        self.extend_button.setAccessibleName(EXTEND_NAME)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.extend_button)
        buttons.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #6b4e00;")
        self.reason.setAccessibleName("Why reviewing is not available")
        buttons.addWidget(self.reason, 1)
        buttons.addStretch(0 if review_refusal else 1)
        layout.addLayout(buttons)
        self.worries = QLabel()
        self.worries.setWordWrap(True)
        self.worries.setTextFormat(Qt.TextFormat.PlainText)
        self.worries.setAccessibleName("What we are worried about")
        self.worries.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long list of worries scrolls rather than being cut off (1280x720, 150%).
        self.worries_area = QScrollArea()
        self.worries_area.setWidgetResizable(True)
        self.worries_area.setFrameShape(QFrame.Shape.NoFrame)
        self.worries_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.worries_area.setWidget(self.worries)
        layout.addWidget(self.worries_area, 1)
        reviews_label = QLabel("Managers' reviews of this case's flags:")
        layout.addWidget(reviews_label)
        self.review_model = ReviewsModel()
        self.reviews_table, self.reviews_proxy = make_table(self.review_model, "Flag reviews")
        reviews_label.setBuddy(self.reviews_table)
        layout.addWidget(self.reviews_table, 1)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self._request(False))
        self.review_button.clicked.connect(lambda: self._request(False))
        self.extend_button.clicked.connect(lambda: self._request(True))
        self._selection_changed()

    # -- data ------------------------------------------------------------------------------
    def set_flags(self, flags: list[drift.Flag], reviews: list[object], as_of: dt.date) -> None:
        selected = self.selected_flag()
        self.as_of = as_of
        self.model.set_rows([FlagRow(f, as_of) for f in flags])
        self.review_model.set_rows(reviews)
        self.table.sortByColumn(CaseFlagsModel.LATE, Qt.SortOrder.DescendingOrder)
        overdue = sum(f.severity == drift.OVERDUE for f in flags)
        if flags:
            self.summary.setText(
                f"{len(flags)} flag{'s' if len(flags) != 1 else ''}: {overdue} overdue, "
                f"{len(flags) - overdue} due soon. Select one to read it in full below."
            )
        else:
            self.summary.setText("No flags: nothing on this case is overdue or due soon.")
        if selected is not None:
            self.select_flag(selected.rule, selected.item)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def set_concerns(self, rows: list[ConcernRow]) -> None:
        """The case's worries beside its flags, so a manager reads them together."""
        if not rows:
            self.worries.setText(
                "What we are worried about: nothing written down yet (Concerns tab)."
            )
            return
        lines = [f"What we are worried about ({len(rows)}, from the Concerns tab):"]
        lines += [
            f"• {row.concern.text} (about "
            + ("the whole household" if row.concern.household else row.about)
            + ")"
            for row in rows
        ]
        self.worries.setText("\n".join(lines))

    def selected_flag(self) -> drift.Flag | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row: FlagRow = self.proxy.row_at(indexes[0].row())
        return row.flag

    def select_flag(self, rule: str, item: str | None = None) -> bool:
        for number in range(self.proxy.rowCount()):
            flag = self.proxy.row_at(number).flag
            if flag.rule == rule and (item is None or flag.item == item):
                self.table.selectRow(number)
                self.table.scrollTo(self.proxy.index(number, 0))
                return True
        return False

    # -- buttons ---------------------------------------------------------------------------
    def _selection_changed(
        self, _new: QItemSelection | None = None, _old: QItemSelection | None = None
    ) -> None:
        flag = self.selected_flag()
        self.detail.setText(
            flag_explanation(flag, self.as_of) if flag else "Select a flag to read it in full."
        )
        why = self.review_refusal or (None if flag is not None else "Select a flag first.")
        # An extension is of the pre-proceedings period; any other flag's delay is accepted.
        extend = flag is None or may_extend(flag.rule)
        self.extend_button.setText(EXTEND_TEXT if extend else ACCEPT_UNTIL_TEXT)
        self.extend_button.setAccessibleName(EXTEND_NAME if extend else ACCEPT_UNTIL_NAME)
        for button in (self.review_button, self.extend_button):
            button.setEnabled(why is None)
            button.setToolTip(why or "")
        if why is None:
            self.extend_button.setToolTip(EXTEND_TIP if extend else ACCEPT_UNTIL_TIP)
        self.reason.setText(self.review_refusal or "")
        self.reason.setVisible(bool(self.review_refusal))

    def _request(self, extend: bool) -> None:
        flag = self.selected_flag()
        if flag is not None and self.review_refusal is None:
            self.review_requested.emit(flag, extend)
