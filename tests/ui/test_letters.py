"""Letters (legal liaison), driven through the real widgets on a real demo database."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from plo_tracker.app import AppContext
from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.readability import Finding
from plo_tracker.services.base import today
from plo_tracker.services.demo_setup import DemoSetupService
from plo_tracker.services.users import find_actor
from ui import formats
from ui.models.letters import (
    FindingsModel,
    LetterCaseModel,
    LetterCaseProxy,
    LetterHistoryModel,
)
from ui.widgets.letters import LettersWidget

WAIT_MS = 60_000


def tab_texts(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def open_case_with_two_parents(ctx: AppContext) -> str:
    for summary in ctx.cases.summaries():
        if not summary.is_open:
            continue
        case = ctx.cases.get(summary.reference)
        if sum(p.parental_responsibility for p in case.parties) >= 2:
            return case.reference
    raise AssertionError("the demo data has open cases with two parents")


def wait_done(qtbot, widget: LettersWidget) -> None:
    qtbot.waitUntil(lambda: widget.worker is None, timeout=WAIT_MS)


def letters_screen(qtbot, window, tmp_path: Path) -> LettersWidget:
    widget = window.letters
    assert isinstance(widget, LettersWidget)
    window.tabs.setCurrentWidget(widget)
    widget.folder.setText(str(tmp_path / "letters"))
    return widget


# -- the legal liaison's journey ----------------------------------------------------------------


def test_legal_liaison_makes_checks_and_sends_a_letter(qtbot, window_as, dialog_log, tmp_path):
    window = window_as("sara.khan")
    assert "&Letters" in tab_texts(window)
    assert window.drift_review is None, "legal liaison does not review flags"
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    assert widget.selected_references() == [reference]
    assert widget.template.currentData() == "letter_before_proceedings"
    case = window.ctx.cases.get(reference)
    with_pr = [p.id for p in case.parties if p.parental_responsibility]
    assert sorted(widget.chosen_parties()) == sorted(with_pr)

    # The plain-language report is there before anything is saved.
    assert widget.summary.text().startswith("Letter to ")
    assert "reading ease" in widget.summary.text()
    assert widget.preview_choice.count() == len(with_pr)
    assert widget.text.toPlainText().strip()
    assert widget.history_model.rowCount() == 0
    assert not (tmp_path / "letters").exists(), "checking saves nothing"

    # Nobody ticked: explained, and nothing can be made.
    widget.set_recipients([])
    widget.preview_now()
    assert not widget.generate_button.isEnabled()
    assert widget.problem.text() == "Recipients: tick at least one person to write to."

    # One recipient, with worries typed in the parent's words.
    widget.set_recipients([with_pr[0]])
    qtbot.keyClicks(widget.worries, "The children missed school most days this term.")
    widget.preview_now()
    assert widget.preview_choice.count() == 1
    assert "The children missed school most days this term." in widget.text.toPlainText()
    assert widget.generate_button.isEnabled()

    qtbot.mouseClick(widget.generate_button, Qt.MouseButton.LeftButton)
    assert widget.progress.isVisible() and widget.cancel_button.isVisible()
    wait_done(qtbot, widget)
    assert not widget.progress.isVisible()
    assert widget.status.text().startswith(f"Made 1 letter(s) in {tmp_path / 'letters'}.")
    files = list((tmp_path / "letters").glob("*.docx"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    # The history of the case shows it, not yet sent.
    assert widget.history_model.rowCount() == 1
    record = widget.history_model.row_at(0)
    assert record.recipient_key == with_pr[0]
    assert widget.history_model.index(0, LetterHistoryModel.SENT).data() == "Not recorded"
    assert widget.history_model.index(0, LetterHistoryModel.MADE_BY).data() == "sara.khan"

    # Open the letter and its folder.
    widget.history.selectRow(0)
    qtbot.mouseClick(widget.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.open_folder_button, Qt.MouseButton.LeftButton)
    assert dialog_log.opened == [files[0], tmp_path / "letters"]

    # A date in the future is refused with the core's message; nothing is recorded.
    widget.sent_date.set_value(today() + dt.timedelta(days=2))
    qtbot.mouseClick(widget.sent_button, Qt.MouseButton.LeftButton)
    assert widget.status.text() == "Date sent: cannot be in the future."
    assert window.ctx.letters.history(reference)[0].sent_on is None

    # Record it as sent today: the case gets the letter event.
    widget.history.selectRow(0)
    widget.sent_date.set_value(today())
    qtbot.mouseClick(widget.sent_button, Qt.MouseButton.LeftButton)
    assert widget.status.text().startswith("Recorded the letter to ")
    assert "letter before proceedings event" in widget.status.text()
    assert widget.history_model.index(0, LetterHistoryModel.SENT).data() == formats.short_date(
        today()
    )
    assert not widget.sent_button.isEnabled(), "a letter is recorded as sent once"
    events = window.ctx.cases.get(reference).events
    assert any(
        e.type == "letter_before_proceedings" and e.party == with_pr[0] and e.date == today()
        for e in events
    )


def test_record_as_sent_conflict_is_told_and_nothing_overwritten(
    qtbot, window_as, dialog_log, tmp_path
):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    qtbot.mouseClick(widget.generate_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, widget)
    widget.history.selectRow(0)
    record = widget.selected_letter()
    assert record is not None
    # A colleague records the same letter as sent (yesterday) while this screen is open.
    colleague = AppContext(db=window.ctx.db, actor=find_actor(window.ctx.db, "mark.reid"))
    colleague.letters.record_sent(record.id, today())
    widget.sent_date.set_value(today())
    qtbot.mouseClick(widget.sent_button, Qt.MouseButton.LeftButton)
    assert "changed by someone else after you opened it" in widget.status.text()
    assert "nothing was overwritten" in widget.status.text()
    latest = window.ctx.letters.get(record.id)
    assert latest.sent_recorded_by == "mark.reid"
    sent_events = [
        e
        for e in window.ctx.cases.get(reference).events
        if e.type == "letter_before_proceedings" and e.date == today()
    ]
    assert len(sent_events) == 1, "only the colleague's event"
    # The history was reloaded: it now shows the letter as sent.
    number = widget.history_model.find(record.id)
    assert widget.history_model.index(number, LetterHistoryModel.SENT).data() != "Not recorded"


def test_a_batch_shows_progress_and_cancel_saves_nothing(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.refresh()
    references = [
        widget.case_proxy.row_at(i).reference for i in range(widget.case_proxy.rowCount())
    ]
    assert len(references) > 20, "a big batch: every open demo case"
    widget.select_cases(references)
    assert widget.is_batch()
    assert widget.batch_note.isVisible() and not widget.recipients.isEnabled()
    assert widget.generate_button.text() == f"&Generate letters for {len(references)} cases"
    assert widget.generate_button.isEnabled(), widget.problem.text()

    worker = widget.generate()
    assert worker is not None
    assert widget.cancel_button.isVisible()
    qtbot.mouseClick(widget.cancel_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, widget)
    assert widget.status.text() == "Cancelled: no letters were saved."
    assert not widget.cancel_button.isVisible()
    folder = tmp_path / "letters"
    assert not folder.exists() or list(folder.iterdir()) == []
    for reference in references[:5]:
        assert window.ctx.letters.history(reference) == []


def test_a_small_batch_is_made_for_each_case(qtbot, window_as, tmp_path):
    window = window_as("ann.wright")  # managers make letters too
    widget = letters_screen(qtbot, window, tmp_path)
    widget.refresh()
    references = [widget.case_proxy.row_at(i).reference for i in range(3)]
    widget.select_cases(references)
    seen: list[tuple[int, int]] = []
    worker = widget.generate()
    assert worker is not None
    worker.signals.progress.connect(lambda done, total: seen.append((done, total)))
    wait_done(qtbot, widget)
    made = sum(len(window.ctx.letters.history(r)) for r in references)
    assert made > 0
    assert widget.status.text().startswith(f"Made {made} letter(s)")
    assert widget.progress.maximum() >= made or seen == []
    assert len(list((tmp_path / "letters").glob("*.docx"))) == made


def test_typed_wording_is_checked_as_typed(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.show_case(open_case_with_two_parents(window.ctx))
    widget.worries.setPlainText("x" * 4001)
    widget.preview_now()
    assert widget.problem.text() == "Worries: is too long (4001 characters; at most 4000)"
    assert not widget.generate_button.isEnabled()
    assert widget.generate_button.toolTip() == widget.problem.text()
    widget.worries.setPlainText("We are worried the house is not safe.")
    widget.preview_now()
    assert widget.problem.text() == ""
    widget.folder.setText("")
    assert widget.problem.text() == "Save in: choose a folder for the letters."
    assert not widget.generate_button.isEnabled()


def test_letter_of_issue_asks_for_the_hearing(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.show_case(open_case_with_two_parents(window.ctx))
    assert widget.hearing_box.isHidden()
    widget.template.setCurrentIndex(widget.template.findData("letter_of_issue"))
    assert not widget.hearing_box.isHidden()
    widget.preview_now()
    assert "No hearing date was given" in widget.notes.text()
    widget.hearing_date.set_value(today() + dt.timedelta(days=10))
    widget.hearing_place.setText("Family Court, Telford")
    widget.preview_now()
    assert "No hearing date was given" not in widget.notes.text()
    assert "Family Court, Telford" in widget.text.toPlainText()


@pytest.mark.slow
@pytest.mark.skipif(not pdf_conversion.available(), reason="LibreOffice is not installed")
def test_pdfs_when_libreoffice_is_there(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    widget.pdf.setChecked(True)
    widget.generate()
    wait_done(qtbot, widget)
    assert list((tmp_path / "letters").glob("*.pdf")), widget.status.text()
    assert widget.history_model.index(0, LetterHistoryModel.FILES).data().endswith(" + PDF")


def test_social_worker_is_not_offered_letters(window_as):
    window = window_as("megan.hughes")
    assert window.letters is None
    assert "&Letters" not in tab_texts(window)


def test_the_case_view_letters_button_opens_the_case_here(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    reference = open_case_with_two_parents(window.ctx)
    window.show_letters_for(reference)
    assert window.tabs.currentWidget() is window.letters
    assert window.letters.selected_references() == [reference]


# -- models ------------------------------------------------------------------------------------


def test_letter_models_pass_the_model_tester(qtmodeltester, sqlite_app, tmp_path):
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(count=12)
    legal = AppContext(db=sqlite_app.db, actor=find_actor(sqlite_app.db, "sara.khan"))
    summaries = legal.cases.summaries()
    cases = LetterCaseModel()
    cases.set_rows(summaries)
    qtmodeltester.check(cases)
    proxy = LetterCaseProxy()
    proxy.setSourceModel(cases)
    proxy.sort(LetterCaseModel.REFERENCE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    assert all(proxy.row_at(i).is_open for i in range(proxy.rowCount()))
    proxy.set_filter(only_open=False)
    assert proxy.rowCount() == len(summaries)
    proxy.set_filter(text=summaries[0].reference)
    assert proxy.visible_rows() == [summaries[0]]
    qtmodeltester.check(proxy)

    reference = next(s.reference for s in summaries if s.is_open)
    legal.letters.generate(reference, "plan_summary", tmp_path)
    history = LetterHistoryModel()
    history.set_rows(legal.letters.history(reference))
    qtmodeltester.check(history)
    assert history.rowCount() >= 1

    findings = FindingsModel()
    findings.set_findings(
        [
            Finding("passive", "advice", "Passive voice.", "You will be sent a letter."),
            Finding("grade", "strong", "Grade 11 is far too hard."),
            Finding("jargon", "warning", "'PLO' is jargon.", "The PLO starts now."),
        ]
    )
    qtmodeltester.check(findings)
    assert [findings.index(i, FindingsModel.SEVERITY).data() for i in range(3)] == [
        "Must fix",
        "Should fix",
        "Advice",
    ]


def test_ctrl_click_adds_a_case_to_the_batch(qtbot, window_as, tmp_path):
    """As the hint under the list says."""
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.refresh()
    viewport = widget.case_table.viewport()
    first = widget.case_table.visualRect(widget.case_proxy.index(0, 0)).center()
    second = widget.case_table.visualRect(widget.case_proxy.index(1, 0)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=first)
    assert not widget.is_batch()
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, second
    )
    assert widget.is_batch()
    assert widget.batch_note.isVisible()
    assert widget.summary.text().endswith("the others are checked as they are made)")
