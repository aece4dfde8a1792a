"""Forms for the plan: assessments (whom they assess, which children) and plan actions.

A date that records a fact (when an assessment was commissioned) starts empty for a new
record; a due date starts at the usual length (8 weeks for an assessment, 4 for an action),
which the user can see and change.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

from plo_tracker import clock
from plo_tracker.domain.model import Assessment, CaseHistory, PlanAction
from plo_tracker.errors import ValidationError
from plo_tracker.services.cases import draft_problem
from ui.widgets.forms.base import CaseRecordForm, Saver, optional_text, party_options, text_of
from ui.widgets.forms.concerns import about_lists, describe_children
from ui.widgets.forms.pickers import ChildKeys
from ui.widgets.inputs import DateEdit, OptionalDate, choice_combo


class AssessmentForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        assessment: Assessment | None,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        save_child: Saver | None = None,
    ) -> None:
        super().__init__(
            "Change assessment" if assessment else "Add an assessment", case, saver, parent
        )
        self.original = assessment
        self.keys = ChildKeys(case, save_child)
        a = assessment
        today = clock.today()
        self.title = self.add_row(
            "&Assessment:", QLineEdit(a.title if a else ""), "Assessment title", "title"
        )
        self.title.setPlaceholderText("for example Parenting assessment")
        self.commissioned = self.add_row(
            "&Commissioned:",
            DateEdit(a.commissioned if a else None),
            "Commissioned on",
            "commissioned",
        )
        self.due = self.add_row(
            "&Due:", DateEdit(a.due if a else today + dt.timedelta(weeks=8)), "Due on", "due"
        )
        self.completed = self.add_row(
            "C&ompleted:",
            OptionalDate("Completed on", a.completed if a else None),
            "Completed",
            "completed",
        )
        self.about_list, self.children_list = about_lists(
            case,
            self.keys,
            a.about if a else (),
            a.children if a else (),
            who="Who is assessed",
        )
        for field, widget in (("about", self.about_list), ("children", self.children_list)):
            self.form.addRow(widget)
            self.watch(widget, field)
        self.ready()

    def revalidate(self) -> None:
        about = self.about_list.chosen()
        if about:
            labels = [self.about_list.checks[k].text() for k in about]
            self.about_list.summary.setText("Assesses: " + ", ".join(labels) + ".")
        else:
            self.about_list.summary.setText(
                "Assesses the household (shared with everyone tied to the children it concerns)."
            )
        self.children_list.summary.setText(
            describe_children(self.case, self.keys, self.children_list.chosen())
        )
        super().revalidate()

    def check(self, record: Assessment) -> ValidationError | None:
        return draft_problem(self.keys.keyed, record)

    def store(self, record: Assessment, confirm: bool = False) -> object:
        self.keys.store(record.children)
        return super().store(record, confirm)

    def build(self) -> Assessment:
        base = self.original
        return Assessment(
            title=text_of(self.title),
            commissioned=self.date_of(self.commissioned, "Commissioned", "commissioned"),
            due=self.date_of(self.due, "Due", "due"),
            completed=self.date_of(self.completed, "Completed", "completed"),
            about=self.about_list.chosen(),
            children=self.children_list.chosen(),
            id=base.id if base else None,
            version=base.version if base else None,
        )


class ActionForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        action: PlanAction | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Change plan action" if action else "Add a plan action", case, saver, parent
        )
        self.original = action
        a = action
        self.action = self.add_row(
            "&What must happen:", QLineEdit(a.action if a else ""), "What must happen", "action"
        )
        self.who = self.add_row(
            "W&ho:",
            choice_combo(party_options(case, "The council"), a.party if a else None),
            "Who does it",
            "party",
        )
        self.support = self.add_row(
            "Su&pport offered:",
            QLineEdit(a.support or "" if a else ""),
            "Support offered",
            "support",
        )
        self.due = self.add_row(
            "&Due:",
            DateEdit(a.due if a else clock.today() + dt.timedelta(weeks=4)),
            "Due on",
            "due",
        )
        self.completed = self.add_row(
            "C&ompleted:",
            OptionalDate("Done on", a.completed if a else None),
            "Completed",
            "completed",
        )
        self.ready()

    def build(self) -> PlanAction:
        base = self.original
        return PlanAction(
            action=text_of(self.action),
            due=self.date_of(self.due, "Due", "due"),
            party=self.who.currentData(),
            support=optional_text(self.support),
            completed=self.date_of(self.completed, "Completed", "completed"),
            id=base.id if base else None,
            version=base.version if base else None,
        )
