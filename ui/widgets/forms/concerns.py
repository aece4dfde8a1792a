"""A worry (what the council is worried about) and a strength (what is going well), in words
the family will recognise.

Both have the same shape: the words, whom they are about and which children. Nobody ticked:
about the whole household (in the letters of everyone tied to the children it concerns);
no child ticked: about all the children. Checked as typed, like every other record.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from plo_tracker.domain.model import CaseHistory, Concern, Strength
from plo_tracker.errors import ValidationError
from plo_tracker.services.cases import draft_problem
from ui.formats import and_list
from ui.widgets.forms.base import CaseRecordForm, Saver
from ui.widgets.forms.pickers import ChildKeys, TickList, people_options


def about_lists(
    case: CaseHistory,
    keys: ChildKeys,
    about: tuple[str, ...],
    children: tuple[str, ...],
    *,
    who: str = "Who it is about",
) -> tuple[TickList, TickList]:
    """The two tick lists of a fact: the people it is about, and the children."""
    people = TickList(
        who,
        people_options(case),
        about,
        name=who,
        note="Tick the people it is about. Nobody ticked: the whole household.",
        empty="No people are recorded on this case yet.",
    )
    which = TickList(
        "Which children",
        keys.options(),
        children,
        name="Which children",
        note="Tick the children it concerns. None ticked: all the children.",
    )
    return people, which


def describe_children(case: CaseHistory, keys: ChildKeys, chosen: tuple[str, ...]) -> str:
    if not chosen or len(chosen) == len(case.children):
        return "About all the children."
    labels = dict(keys.options())
    return f"About {and_list([labels[k] for k in chosen if k in labels])} only."


class RemarkForm(CaseRecordForm):
    """The shared form of a worry and a strength."""

    record_type: type[Concern] = Concern
    noun = "worry"
    caption = "&What we are worried about:"
    placeholder = ""

    def __init__(
        self,
        case: CaseHistory,
        remark: Concern | None,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        save_child: Saver | None = None,
    ) -> None:
        title = f"Change a {self.noun}" if remark else f"Add a {self.noun}"
        super().__init__(title, case, saver, parent)
        self.original = remark
        self.keys = ChildKeys(case, save_child)
        text = QPlainTextEdit(remark.text if remark else "")
        text.setTabChangesFocus(True)
        text.setPlaceholderText(self.placeholder)
        text.setFixedHeight(text.fontMetrics().lineSpacing() * 5 + 12)
        self.text = self.add_row(self.caption, text, self.noun.capitalize(), "text")
        self.about_list, self.children_list = about_lists(
            case,
            self.keys,
            remark.about if remark else (),
            remark.children if remark else (),
        )
        for field, widget in (("about", self.about_list), ("children", self.children_list)):
            self.form.addRow(widget)
            self.watch(widget, field)
        # What the tests and screen readers know these by.
        self.people = self.about_list.checks
        self.household = self.about_list.summary
        self.household.setAccessibleName(f"Whom the {self.noun} is about")
        self.ready()

    def about(self) -> tuple[str, ...]:
        return self.about_list.chosen()

    def revalidate(self) -> None:
        about = self.about()
        if not about:
            self.household.setText(
                "About the whole household (in the letters of everyone tied to the children "
                "it concerns)."
            )
        else:
            labels = [self.people[k].text() for k in about]
            self.household.setText("About: " + ", ".join(labels) + ".")
        self.children_list.summary.setText(
            describe_children(self.case, self.keys, self.children_list.chosen())
        )
        super().revalidate()

    def check(self, record: Concern) -> ValidationError | None:
        return draft_problem(self.keys.keyed, record)

    def build(self) -> Concern:
        base = self.original
        return self.record_type(
            text=self.text.toPlainText().strip(),
            about=self.about(),
            children=self.children_list.chosen(),
            id=base.id if base else None,
            version=base.version if base else None,
        )

    def store(self, record: Concern, confirm: bool = False) -> object:
        self.keys.store(record.children)
        return super().store(record, confirm)


class ConcernForm(RemarkForm):
    placeholder = (
        "In words the family will recognise, for example: 'Jayden has missed 12 days "
        "of school since September.'"
    )


class StrengthForm(RemarkForm):
    record_type = Strength
    noun = "strength"
    caption = "&What is going well:"
    placeholder = (
        "In words the family will recognise, for example: 'You have come to every family "
        "time visit.'"
    )
