"""Every table model and its proxy passes Qt's model tester (qtmodeltester), with real data.

One model per test: the tester stays attached while the test then resets, sorts and
filters the model, so those changes are checked too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt

from plo_tracker import clock
from plo_tracker.app import AppContext, open_app
from tests.ui.conftest import MANAGER
from tests.ui.family_case import FAMILY, import_family
from ui.models.base import RowRole, RowTableModel, SortProxy, SortRole, sort_key
from ui.models.case_items import (
    ActionsModel,
    AssessmentsModel,
    AuditModel,
    CaseFlagsModel,
    ChildrenModel,
    ChronologyModel,
    ConcernsModel,
    FlagRow,
    PartiesModel,
    ReviewsModel,
    StrengthsModel,
    action_rows,
    assessment_rows,
    chronology,
    concern_rows,
)
from ui.models.cases import CaseFilterProxy, CaseListModel
from ui.models.family import KeepApartModel, apart_rows, party_rows


@pytest.fixture
def manager(demo_url: Any) -> Any:
    ctx = open_app(demo_url, username=MANAGER)
    yield ctx
    ctx.close()


def reviewed_case(ctx: AppContext) -> str:
    """A case with a reviewed flag, and a review recorded through the service today."""
    for flagged in ctx.flags.flagged():
        if flagged.flag.reviewed is not None:
            reference = flagged.flag.case
            break
    else:
        raise AssertionError("the demo has a reviewed flag")
    if not any(r.on == clock.today() for r in ctx.flags.reviews(reference)):
        flag = next(f for f in ctx.cases.flags_for(reference) if f.severity == "overdue")
        ctx.flags.review(
            reference,
            flag.rule,
            decision="accept",
            rationale="Agreed in supervision.",
            item=flag.item,
        )
    return reference


def case_rows(ctx: AppContext) -> dict[str, tuple[type[RowTableModel], list[Any]]]:
    reference = reviewed_case(ctx)
    case = ctx.cases.get(reference)
    if FAMILY not in ctx.cases.references():
        import_family(ctx)
    family = ctx.cases.get(FAMILY)
    today = clock.today()
    return {
        "cases": (CaseListModel, ctx.cases.summaries()),
        "chronology": (ChronologyModel, chronology(case)),
        "children": (ChildrenModel, list(case.children)),
        "parties": (PartiesModel, party_rows(case)),
        "assessments": (AssessmentsModel, assessment_rows(case)),
        "actions": (ActionsModel, action_rows(case)),
        "flags": (CaseFlagsModel, [FlagRow(f, today) for f in ctx.cases.flags_for(reference)]),
        "reviews": (ReviewsModel, ctx.flags.reviews(reference)),
        "audit": (AuditModel, ctx.audit.trail_in_words(reference)),
        # The contract's blended family: per-child ties, keep-apart, worries and strengths.
        "family_parties": (PartiesModel, party_rows(family)),
        "family_assessments": (AssessmentsModel, assessment_rows(family)),
        "keep_apart": (KeepApartModel, apart_rows(family)),
        "worries": (ConcernsModel, concern_rows(family)),
        "strengths": (StrengthsModel, concern_rows(family, family.strengths)),
    }


KINDS = [
    "cases",
    "chronology",
    "children",
    "parties",
    "assessments",
    "actions",
    "flags",
    "reviews",
    "audit",
    "family_parties",
    "family_assessments",
    "keep_apart",
    "worries",
    "strengths",
]


@pytest.mark.parametrize("kind", KINDS)
def test_model(qtmodeltester: Any, manager: AppContext, kind: str) -> None:
    model_class, rows = case_rows(manager)[kind]
    assert rows, f"the demo data gives {kind} rows"
    model = model_class(rows)
    qtmodeltester.check(model, force_py=True)
    first = model.index(0, 0)
    assert model.data(first, RowRole) is rows[0]
    for column in range(model.columnCount()):
        assert isinstance(model.headerData(column, Qt.Orientation.Horizontal), str)
    model.set_rows([])  # watched by the tester
    assert model.rowCount() == 0
    model.set_rows(rows)
    assert model.rowCount() == len(rows)


def _proxy_for(kind: str) -> SortProxy:
    return CaseFilterProxy() if kind == "cases" else SortProxy()


@pytest.mark.parametrize("kind", KINDS)
def test_proxy(qtmodeltester: Any, manager: AppContext, kind: str) -> None:
    model_class, rows = case_rows(manager)[kind]
    model = model_class(rows)
    proxy = _proxy_for(kind)
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    for column in range(model.columnCount()):  # sorting, watched by the tester
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
            keys = [sort_key(proxy.index(r, column).data(SortRole)) for r in range(len(rows))]
            filled = sorted(k for k in keys if k[0] == 0)
            if order == Qt.SortOrder.DescendingOrder:
                filled.reverse()
            expected = filled + [k for k in keys if k[0] == 1]  # empties always last
            assert keys == expected, (kind, column, order)
    model.set_rows(rows[:1])
    assert proxy.rowCount() == 1


def test_case_filters_under_the_tester(qtmodeltester: Any, manager: AppContext) -> None:
    model = CaseListModel(manager.cases.summaries())
    proxy = CaseFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    changes: list[Callable[[], None]] = [
        lambda: proxy.set_filter(team="Case Management 1"),
        lambda: proxy.set_filter(only_drifting=True),
        lambda: proxy.set_filter(text="plo"),
        lambda: proxy.set_filter(worker="Gareth Lewis"),
        lambda: proxy.set_filter(text="no such case anywhere"),
    ]
    for change in changes:
        change()
    assert proxy.rowCount() == 0
    proxy.set_filter(text="", team=None, worker=None, only_drifting=False, only_open=True)
    assert 0 < proxy.rowCount() < model.rowCount()
    assert all(row.is_open for row in proxy.visible_rows())


def test_a_reviewed_flag_says_who_and_when(manager: AppContext) -> None:
    reference = reviewed_case(manager)
    today = clock.today()
    model = CaseFlagsModel([FlagRow(f, today) for f in manager.cases.flags_for(reference, today)])
    reviewed = [
        model.index(r, CaseFlagsModel.REVIEWED).data()
        for r in range(model.rowCount())
        if model.index(r, CaseFlagsModel.REVIEWED).data()
    ]
    from ui.formats import short_date

    assert reviewed == [f"Ann Wright, {short_date(today)}"]  # who reviewed it, and when


def test_sort_keys_put_blanks_last_and_ignore_case() -> None:
    values = ["beta", None, "Alpha", "", "gamma"]
    assert sorted(values, key=sort_key)[:3] == ["Alpha", "beta", "gamma"]
    assert set(sorted(values, key=sort_key)[3:]) == {None, ""}
