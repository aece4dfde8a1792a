"""Letters (legal liaison), driven through the real widgets on a real demo database."""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime

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


def open_case_with_two_parents(ctx: AppContext, template: str = "letter_before_proceedings") -> str:
    """An open demo case with two parents whose letters of this kind are ready to send."""
    for summary in ctx.cases.summaries():
        if not summary.is_open:
            continue
        case = ctx.cases.get(summary.reference)
        if sum(p.parental_responsibility for p in case.parties) < 2:
            continue
        if all(r.ready for r in ctx.letters.readiness(case.reference, template)):
            return case.reference
    raise AssertionError("the demo data has open cases with two parents ready for letters")


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
    assert (
        widget.history_model.index(0, LetterHistoryModel.MADE_BY).data() == "Sara Khan"
    )  # her name, not her login

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
    # Most of these cases are not ready for a letter before proceedings: as on the command
    # line, the batch is refused unless made as drafts.
    assert not widget.generate_button.isEnabled()
    assert "are not ready to send" in widget.problem.text()
    widget.draft.setChecked(True)
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
    widget.draft.setChecked(True)
    seen: list[tuple[int, int]] = []
    worker = widget.generate()
    assert worker is not None
    worker.signals.progress.connect(lambda done, total: seen.append((done, total)))
    wait_done(qtbot, widget)
    made = sum(len(window.ctx.letters.history(r)) for r in references)
    assert made > 0
    assert widget.status.text().startswith(f"Made {made} draft(s)")
    assert widget.progress.maximum() >= made or seen == []
    assert len(list((tmp_path / "letters").glob("*.docx"))) == made


def test_typed_wording_is_checked_as_typed(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    widget.worries.setPlainText("We are worried the house is not safe.")
    widget.preview_now()
    # Typed worries go to everyone a letter is written to, so only to one person.
    assert "for one person's letter" in widget.problem.text()
    assert not widget.generate_button.isEnabled()
    widget.set_recipients(["mother"])
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
    legal.letters.generate(reference, "plan_summary", tmp_path, draft=True)
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


# -- ready or refused, drafts, separate meetings, easy read --------------------------------------


def case_not_ready(ctx: AppContext) -> str:
    for summary in ctx.cases.summaries():
        if summary.is_open and not all(
            r.ready for r in ctx.letters.readiness(summary.reference, "letter_before_proceedings")
        ):
            return summary.reference
    raise AssertionError("the demo data has open cases whose letters are not ready")


def test_what_is_missing_shows_before_generate_and_drafts_are_never_sent(
    qtbot, window_as, tmp_path
):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = case_not_ready(window.ctx)
    widget.show_case(reference)
    first = widget.readiness.text().split("\n", 1)[0]
    assert first.startswith("The letter to ") and first.endswith(
        " is not ready to send. Still missing:"
    )
    missing = window.ctx.letters.readiness(reference, "letter_before_proceedings")[0].missing
    assert all(f"• {item}" in widget.readiness.text() for item in missing)
    # The button is off, and why is one sentence (under the panel and as its tooltip).
    assert not widget.generate_button.isEnabled()
    reason = widget.problem.text()
    assert "not ready to send" in reason and reason.endswith("to prepare them.")
    assert reason.count(". ") == 0
    assert widget.generate_button.toolTip() == reason
    widget.draft.setChecked(True)
    assert widget.generate_button.isEnabled() and widget.problem.text() == ""
    widget.generate()
    wait_done(qtbot, widget)
    assert (
        "draft(s)" in widget.status.text() and "never be recorded as sent" in widget.status.text()
    )
    assert all(p.name.endswith("_DRAFT.docx") for p in (tmp_path / "letters").glob("*.docx"))
    # The list takes several letters at once; a Ctrl left held by an earlier test's
    # Ctrl+click would make selectRow add to the selection, so start from none.
    widget.history.clearSelection()
    widget.history.selectRow(0)
    assert widget.history_model.index(0, LetterHistoryModel.SENT).data() == "Draft (never sent)"
    assert not widget.sent_button.isEnabled()
    off = "This letter is a draft, and a draft can never be recorded as sent."
    assert widget.sent_button.toolTip() == off and widget.button_hint.text() == off


def test_the_advice_wraps_instead_of_being_cut_off(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.resize(1000, 700)
    long_advice = "Split this sentence into two or three shorter ones. " * 6
    widget.findings_model.set_findings(
        [Finding("long_sentence", "warning", long_advice.strip(), "A sentence " * 30)]
    )
    widget.findings.resizeRowsToContents()
    assert widget.findings.wordWrap()
    line = widget.findings.fontMetrics().height()
    assert widget.findings.rowHeight(0) > 2 * line


def test_open_letter_without_a_viewer_shows_the_folder(qtbot, window_as, tmp_path, monkeypatch):
    from ui import dialogs

    opened: list[Path] = []

    def open_path(path: Path) -> bool:
        opened.append(path)
        return path.is_dir()  # nothing installed opens .docx files

    monkeypatch.setattr(dialogs, "open_path", open_path)
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.show_case(open_case_with_two_parents(window.ctx))
    widget.generate()
    wait_done(qtbot, widget)
    widget.history.selectRow(0)
    qtbot.mouseClick(widget.open_file_button, Qt.MouseButton.LeftButton)
    folder = tmp_path / "letters"
    assert opened[-1] == folder and opened[-2].suffix == ".docx"
    assert widget.status.text().startswith("No program to open ")
    assert f"its folder is shown instead: {folder}" in widget.status.text()


def test_open_letter_with_nothing_to_open_it_names_the_file(
    qtbot, window_as, tmp_path, monkeypatch
):
    from ui import dialogs

    monkeypatch.setattr(dialogs, "open_path", lambda _path: False)  # no viewer, no file manager
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    widget.show_case(open_case_with_two_parents(window.ctx))
    widget.generate()
    wait_done(qtbot, widget)
    widget.history.selectRow(0)
    record = widget.selected_letter()
    qtbot.mouseClick(widget.open_file_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "letters" / record.file_name
    assert widget.status.text() == (
        f"No program to open {record.file_name} or its folder is installed on this "
        f"computer. The letter is saved as {saved}."
    )


def test_a_separate_meeting_for_a_parent_when_the_other_address_is_confidential(
    qtbot, window_as, tmp_path
):
    window = window_as("sara.khan")
    ctx = window.ctx
    widget = letters_screen(qtbot, window, tmp_path)
    found = None
    for summary in ctx.cases.summaries():
        case = ctx.cases.get(summary.reference)
        hidden = [p for p in case.parties if p.address_confidential]
        others = [
            p for p in case.parties if p.parental_responsibility and not p.address_confidential
        ]
        if (
            summary.is_open
            and hidden
            and others
            and any(b.type == "review_meeting" and b.date > today() for b in case.scheduled)
        ):
            found = (case, others[0])
            break
    assert found is not None, "the demo has a case with a confidential address"
    case, parent = found
    widget.show_case(case.reference)
    widget.template.setCurrentIndex(widget.template.findData("review_invitation"))
    widget.set_recipients([parent.id])
    widget.preview_now()
    assert not widget.meeting_box.isHidden()
    assert "their own review meeting" in widget.readiness.text()
    assert not widget.generate_button.isEnabled()
    widget.meeting_date.set_value(today() + dt.timedelta(days=9))
    widget.meeting_time.check.setChecked(True)
    widget.meeting_time.time.setTime(QTime(15, 30))
    widget.meeting_place.setText("Council offices, Room 7")
    widget.preview_now()
    assert "their own review meeting" not in widget.readiness.text()
    assert "Place: Council offices, Room 7" in widget.text.toPlainText()
    for booking in case.scheduled:
        assert not booking.place or booking.place not in widget.text.toPlainText()


def test_recorded_needs_choose_easy_read_until_set_to_standard(qtbot, window_as, tmp_path):
    window = window_as("ann.wright")  # a team manager: edits the case and makes letters
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    case = window.ctx.cases.get(reference)
    parent = next(p for p in case.parties if p.parental_responsibility)
    needs = replace(parent, needs="Learning disability: easy read please")
    window.ctx.cases.save_party(reference, needs, confirm=True)
    widget.show_case(reference)
    row = next(
        i
        for i in range(widget.recipients.count())
        if widget.recipients.item(i).data(Qt.ItemDataRole.UserRole) == parent.id
    )
    assert widget.recipients.item(row).text().endswith("easy read")
    widget.recipients.setCurrentRow(row)
    assert widget.easy_read.isChecked() and "recorded needs" in widget.easy_read.toolTip()
    widget.easy_read.click()  # standard letters for them, whatever their needs say
    assert [(p.party_key, p.easy_read) for p in window.ctx.letters.preferences(reference)] == [
        (parent.id, False)
    ]
    assert not widget.recipients.item(row).text().endswith("easy read")


def test_easy_read_is_chosen_for_the_highlighted_person(qtbot, window_as, tmp_path):
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    assert not widget.easy_read.isEnabled()  # nobody highlighted yet
    assert "Highlight one person" in widget.easy_read.toolTip()
    row = next(
        i
        for i in range(widget.recipients.count())
        if widget.recipients.item(i).data(Qt.ItemDataRole.UserRole) == "father"
    )
    widget.recipients.setCurrentRow(row)
    assert widget.easy_read.isEnabled() and not widget.easy_read.isChecked()
    widget.easy_read.click()
    assert [p.party_key for p in window.ctx.letters.preferences(reference) if p.easy_read] == [
        "father"
    ]
    assert widget.recipients.item(row).text().endswith("easy read")
    widget.preview_now()
    titles = {p.recipient_key: p.template_title for p in widget.previews}
    assert titles["father"] == "Letter before proceedings (easy read)"
    assert titles["mother"] == "Letter before proceedings"
