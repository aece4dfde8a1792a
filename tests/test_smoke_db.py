from pathlib import Path

from plo_tracker.app import AppContext

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "example-cases.json"


def test_import_flags_export(app: AppContext, tmp_path: Path) -> None:
    result = app.exchange.import_file(EXAMPLE)
    assert result.created == 3
    assert app.exchange.import_file(EXAMPLE).unchanged == 3
    import datetime as dt
    flags = app.flags.flags(dt.date(2024, 3, 20))
    assert [(f.case, f.rule) for f in flags] == [
        ("PLO-2024-0007", "fgc_held_due"), ("PLO-2024-0007", "solicitor_missing")]
