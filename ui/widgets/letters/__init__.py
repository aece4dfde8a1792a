"""The Letters screen (legal liaison and managers): choose, check, make, record.

Its parts: ``screen`` (``LettersWidget``, which owns and wires the others), ``choose``
(the cases, template, recipients and wording), ``make`` (Generate, drafts, progress and
Cancel), ``check`` (each letter made in memory and checked before saving), ``history``
(the case's letters, opening them, recording one as sent) and ``parts`` (labels and the
letters folder they share).
"""

from __future__ import annotations

from ui.widgets.letters.screen import LettersWidget

__all__ = ["LettersWidget"]
