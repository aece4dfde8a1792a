"""Importing cases from the window: off the window's thread, with progress, all or nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from plo_tracker import clock
from plo_tracker.demo import generate
from plo_tracker.exchange import document_to_json
from tests.ui.conftest import MANAGER, SOCIAL_WORKER, DialogLog
from ui.workers import Worker

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases.json"


def test_a_manager_imports_cases_with_progress(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(MANAGER)
    before = window.case_list.model.rowCount()
    dialog_log.open_path_value = EXAMPLE
    assert window.import_action.isVisible()
    worker = window.import_cases()
    assert worker is not None
    assert window.import_progress is not None and window.import_progress.isVisible()
    # The worker may finish before a waitSignal could connect: wait for its effect instead.
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20_000)
    assert "Import finished. 3 case(s) read: 3 new" in dialog_log.info_text()
    assert window.case_list.model.rowCount() == before + 3
    assert window.case_list.model.find("PLO-2024-0007") is not None
    assert window.import_progress is None


def test_a_refused_import_changes_nothing(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    window = window_as(MANAGER)
    before = window.case_list.model.rowCount()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "plo-tracker-cases", "version": 1, "cases": [{"reference": ""}]}')
    dialog_log.open_path_value = bad
    assert window.import_cases() is not None
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20_000)
    assert "Import refused, nothing was changed" in dialog_log.error_text()
    assert window.case_list.model.rowCount() == before


def test_a_cancelled_import_is_rolled_back(qtbot: Any, window_as: Any, tmp_path: Path) -> None:
    window = window_as(MANAGER)
    big = tmp_path / "big.json"  # more than one chunk, so progress is reported mid-way
    cases = generate(520, today=clock.today(), seed=7)
    big.write_text(
        json.dumps(
            document_to_json([replace(c, reference=f"BIG-{i}") for i, c in enumerate(cases)])
        )
    )
    before = len(window.ctx.cases.references())
    exchange = window.ctx.exchange

    def job(progress: Any, _cancelled: Any) -> Any:
        return exchange.import_file(big, progress=progress)

    worker = Worker(job)
    worker.cancel()  # the user pressed Cancel before the first chunk was written
    with qtbot.waitSignal(worker.signals.cancelled, timeout=60_000):
        worker.start()
    assert len(window.ctx.cases.references()) == before


def test_import_is_not_offered_to_a_social_worker(window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    assert not window.import_action.isVisible()


def test_an_import_that_would_remove_records_asks_first(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    """Never a silent loss: the window says what the file would remove, and goes ahead
    (replacing) only when the user agrees."""
    window = window_as(MANAGER)
    reference = window.case_list.model.rows()[0].reference
    exported = window.ctx.exchange.export_cases([reference])
    case = exported["cases"][0]
    assert case.get("events"), "a demo case with events"
    case["events"].pop()
    older = tmp_path / "older.json"
    older.write_text(json.dumps(exported))
    before = len(window.ctx.cases.get(reference).events)

    dialog_log.open_path_value = older
    dialog_log.confirm_answer = False
    assert window.import_cases() is not None
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20_000)
    title, message = dialog_log.confirms[-1]
    assert title == "Import would remove records"
    assert f"{reference}: 1 event" in message and "--replace" not in message
    assert len(window.ctx.cases.get(reference).events) == before  # nothing changed

    dialog_log.confirm_answer = True
    assert window.import_cases() is not None
    qtbot.waitUntil(lambda: len(dialog_log.confirms) == 2 and window.import_worker is None)
    qtbot.waitUntil(lambda: "Import finished" in dialog_log.info_text(), timeout=20_000)
    assert len(window.ctx.cases.get(reference).events) == before - 1
