"""The letters screen says why no PDF was made when a character has no font.

LibreOffice is a stand-in script here (it would write a PDF for every letter), and the
computer's only font is Noto Sans (fontconfig's FONTCONFIG_FILE): an emoji typed in the
worries has no font, so the PDFs are refused before the stand-in is ever started, the
.docx letter is saved, and the status line names the character and the package.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from plo_tracker.letters import fonts, pdf
from tests.letters.test_fonts import EMOJI, only_fonts, shipped
from tests.letters.test_pdf import WRITE_PDFS, fake_soffice
from ui.models.letters import LetterHistoryModel

from .test_letters import letters_screen, open_case_with_two_parents, wait_done


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stand-in")
@pytest.mark.skipif(not fonts.fontconfig_available(), reason="fontconfig is not installed")
def test_the_status_names_a_character_without_a_font_and_the_docx_is_kept(
    qtbot, window_as, tmp_path, monkeypatch
):
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake_soffice(tmp_path, WRITE_PDFS)))
    window = window_as("sara.khan")
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    case = window.ctx.cases.get(reference)
    first = next(p.id for p in case.parties if p.parental_responsibility)
    widget.set_recipients([first])
    widget.worries.setPlainText(f"You sent us {EMOJI} when we asked about school.")
    widget.preview_now()
    assert widget.pdf.isEnabled()
    widget.pdf.setChecked(True)
    assert widget.generate_button.isEnabled(), widget.problem.text()
    qtbot.mouseClick(widget.generate_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, widget)
    status = widget.status.text()
    assert status.startswith(f"Made 1 letter(s) in {tmp_path / 'letters'}.")
    assert "No PDF was made" in status
    assert f"{EMOJI} (U+1F642)" in status and "fonts-noto-color-emoji" in status
    assert "Traceback" not in status
    (docx,) = (tmp_path / "letters").glob("*.docx")
    assert docx.name in status
    assert list((tmp_path / "letters").glob("*.pdf")) == []
    assert not (tmp_path / "calls.log").exists(), "LibreOffice was never started"
    files = widget.history_model.index(0, LetterHistoryModel.FILES).data()
    assert files.endswith(".docx"), files  # no " + PDF"
