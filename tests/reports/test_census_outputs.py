"""``plo-tracker census``: every path argument checked before anything is written, and exit 1
always meaning that nothing was written (the council's return, the merged return, the
findings file and the database are each left exactly as they were)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from plo_tracker.errors import PloError
from plo_tracker.services import census_files
from plo_tracker.services.census_files import OutputFile, OutputSet, write_all
from tests.reports.census_returns import NS, council_return
from tests.reports.test_census_merge import census, kids
from tests.reports.test_census_merge_cli import ARGS, census_database, run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return census_database(tmp_path, capsys)


@pytest.fixture
def council(tmp_path: Path) -> Path:
    path = tmp_path / "council-return.xml"
    path.write_bytes(council_return(kids(census()), namespace=NS))
    path.chmod(0o640)
    return path


def snapshot(*paths: Path) -> dict[Path, bytes | None]:
    return {p: p.read_bytes() if p.exists() else None for p in paths}


def refused(db: Path, capsys: pytest.CaptureFixture[str], watched: list[Path], *args: str) -> str:
    """Run the command; it must exit 1 and leave every watched file (and the folder) alone."""
    before = snapshot(db, *watched)
    folders = {p.parent: sorted(p.parent.iterdir()) for p in watched if p.parent.is_dir()}
    code, _out, err = run(db, *ARGS, *args, capsys=capsys)
    assert code == 1, err
    assert snapshot(db, *watched) == before
    assert {f: sorted(f.iterdir()) for f in folders} == folders  # no file left behind
    assert "Nothing was written." in err or "nothing written" in err.lower()
    return err


def test_out_and_findings_must_not_be_the_council_return(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged, findings = tmp_path / "merged.xml", tmp_path / "findings.csv"
    watched = [council, merged, findings]
    err = refused(db, capsys, watched, "--merge-into", str(council), "--out", str(council))
    assert "The merged return" in err and "is the council's return" in err
    for extra in (("--out", str(merged)), ("--check",)):
        err = refused(
            db, capsys, watched, "--merge-into", str(council), *extra, "--findings", str(council)
        )
        assert "The findings file" in err and "never writes over the council's return" in err


def test_links_to_the_council_return_are_refused(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    symbolic, hard = tmp_path / "link.xml", tmp_path / "hard.xml"
    symbolic.symlink_to(council)
    os.link(council, hard)
    watched = [council, symbolic, hard]
    for link in (symbolic, hard):
        err = refused(db, capsys, watched, "--merge-into", str(council), "--out", str(link))
        assert "or a link to it" in err
        err = refused(
            db,
            capsys,
            watched,
            "--merge-into",
            str(council),
            "--out",
            str(tmp_path / "merged.xml"),
            "--findings",
            str(link),
        )
        assert "The findings file" in err
    # A link to the findings file as the output: the same file twice.
    findings = tmp_path / "findings.csv"
    other = tmp_path / "other.csv"
    other.symlink_to(findings)
    err = refused(
        db,
        capsys,
        [council, findings, other],
        "--merge-into",
        str(council),
        "--out",
        str(other),
        "--findings",
        str(findings),
    )
    assert "are the same file" in err


def test_the_two_outputs_must_differ(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = tmp_path / "out.xml"
    err = refused(
        db,
        capsys,
        [council, same],
        "--merge-into",
        str(council),
        "--out",
        str(same),
        "--findings",
        str(same),
    )
    assert "The merged return and the findings file are the same file" in err
    err = refused(db, capsys, [same], "--out", str(same), "--findings", str(same))
    assert "The census file and the findings file are the same file" in err


def test_a_missing_folder_for_either_output_writes_neither(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged, findings = tmp_path / "merged.xml", tmp_path / "findings.csv"
    missing = tmp_path / "no-such-folder"
    watched = [council, merged, findings]
    err = refused(
        db,
        capsys,
        watched,
        "--merge-into",
        str(council),
        "--out",
        str(merged),
        "--findings",
        str(missing / "findings.csv"),
    )
    assert f"The folder {missing} for the findings file does not exist" in err
    err = refused(
        db,
        capsys,
        watched,
        "--merge-into",
        str(council),
        "--out",
        str(missing / "m.xml"),
        "--findings",
        str(findings),
    )
    assert f"The folder {missing} for the merged return does not exist" in err
    err = refused(db, capsys, watched, "--check", "--findings", str(missing / "f.csv"))
    assert "for the findings file does not exist" in err
    err = refused(db, capsys, watched, "--out", str(missing / "c.xml"), "--findings", str(findings))
    assert "for the census file does not exist" in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    err = refused(db, capsys, watched, "--merge-into", str(council), "--out", str(folder))
    assert "is a folder" in err


def test_the_database_is_never_an_output(
    db: Path, council: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ("--out", str(db)),
        ("--merge-into", str(council), "--out", str(db)),
        ("--check", "--findings", str(db)),
    ):
        err = refused(db, capsys, [council], *args)
        assert "is the PLO Tracker database" in err


@pytest.mark.skipif(getattr(os, "geteuid", lambda: -1)() == 0, reason="root writes anywhere")
def test_a_folder_that_cannot_be_written_in_is_refused_first(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        err = refused(
            db,
            capsys,
            [council, tmp_path / "merged.xml"],
            "--merge-into",
            str(council),
            "--out",
            str(tmp_path / "merged.xml"),
            "--findings",
            str(locked / "f.csv"),
        )
        assert "You do not have permission to write in the folder" in err
    finally:
        locked.chmod(0o700)


def test_a_failure_while_writing_leaves_both_files_as_they_were(
    db: Path,
    council: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    merged, findings = tmp_path / "merged.xml", tmp_path / "findings.csv"
    merged.write_bytes(b"last year's merged return")
    real_replace = os.replace

    def failing(source: str | Path, target: str | Path) -> None:
        if Path(target) == findings:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(census_files.os, "replace", failing)
    err = refused(
        db,
        capsys,
        [council, merged, findings],
        "--merge-into",
        str(council),
        "--out",
        str(merged),
        "--findings",
        str(findings),
    )
    assert "No space left on device" in err
    assert merged.read_bytes() == b"last year's merged return"


def test_written_files_have_the_right_permissions_and_are_audited_together(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged, findings = tmp_path / "merged.xml", tmp_path / "findings.csv"
    code, out, err = run(
        db,
        *ARGS,
        "--merge-into",
        str(council),
        "--out",
        str(merged),
        "--findings",
        str(findings),
        capsys=capsys,
    )
    assert code == 4, err
    assert stat.S_IMODE(merged.stat().st_mode) == 0o640  # the council's return's
    assert stat.S_IMODE(findings.stat().st_mode) == 0o600  # names: only the user
    assert f"Wrote 10 finding(s) to {findings}" in out
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # Again over the same files: replaced whole, nothing left beside them.
    code, out, err = run(
        db,
        *ARGS,
        "--merge-into",
        str(council),
        "--out",
        str(merged),
        "--findings",
        str(findings),
        "--allow-findings",
        capsys=capsys,
    )
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# -- the file set on its own -------------------------------------------------------------------


def writer(data: bytes) -> Callable[[Callable[[bytes], object]], None]:
    return lambda write: write(data)


def test_output_set_rolls_back_what_it_put_in_place(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"old a")
    outputs = [OutputFile("a", first, writer(b"new a")), OutputFile("b", second, writer(b"b"))]

    def audit_fails() -> None:
        raise PloError("the database is locked")

    with pytest.raises(PloError, match="locked"):
        write_all(outputs, audit_fails)
    assert first.read_bytes() == b"old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]

    files = OutputSet(outputs)
    files.prepare()
    assert first.read_bytes() == b"old a"  # nothing in place before commit
    files.commit()
    assert (first.read_bytes(), second.read_bytes()) == (b"new a", b"b")
    files.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_a_failure_while_preparing_leaves_no_temporary_file(tmp_path: Path) -> None:
    def broken(write: Callable[[bytes], object]) -> None:
        write(b"half")
        raise OSError(5, "Input/output error")

    with pytest.raises(PloError, match="Input/output error"):
        write_all(
            [
                OutputFile("x", tmp_path / "x.txt", writer(b"x")),
                OutputFile("y", tmp_path / "y.txt", broken),
            ]
        )
    assert list(tmp_path.iterdir()) == []
