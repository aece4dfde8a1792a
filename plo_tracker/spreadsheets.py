"""CSV and Excel output shared by the command line, the reports and the drift review.

Text typed by users can start with ``=``, ``+``, ``-`` or ``@``; a spreadsheet would run it
as a formula (CSV injection).  CSV cells like that get a leading apostrophe; in Excel
files every text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value for a CSV cell: None is empty, dates are ISO, formulas are neutralised."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]], line_end: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark, so spreadsheet programs read accents."""
    return csv_text(headers, rows).encode("utf-8-sig")


def add_sheet(
    workbook: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """A sheet with a bold header row, text kept as text, dates as dates, sized columns."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: "=..." is never a formula
            elif isinstance(cell.value, dt.date):
                cell.number_format = "d mmm yyyy"
    for index, header in enumerate(headers, start=1):
        sample = [len(str(header)), *(len(str(r[index - 1] or "")) for r in rows[:200])]
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, max(sample) + 2))
    sheet.freeze_panes = "A2"


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """A one-sheet Excel file."""
    from openpyxl import Workbook  # imported when needed: it is slow to load

    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    add_sheet(workbook, title, headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
