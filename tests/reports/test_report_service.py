"""ReportService on both databases: figures, census, settings, roles, files, audit."""

from __future__ import annotations

import datetime as dt
import json
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from plo_tracker.app import AppContext
from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import PermissionDenied, PloError, ValidationError
from plo_tracker.exchange import document_to_json
from plo_tracker.reports.census import OUTCOME_KEYS
from plo_tracker.reports.timeliness import timeliness_report
from tests.builders import D, case, ev
from tests.conftest import as_role
from tests.reports import handmade as hm

CENSUS_DATE = D("2026-03-31")  # the 2025/26 year: its events are all in the past
AT = dt.datetime(2026, 4, 6, 9, 30)


def load(app: AppContext, cases: list[CaseHistory]) -> None:
    app.exchange.import_text(json.dumps(document_to_json(cases)))


def census_cases() -> list[CaseHistory]:
    kid = Child(name="Ruby Marsh", date_of_birth=D("2018-03-02"), la_child_id="LA7001")
    no_id = Child(name="Leo Marsh", date_of_birth=D("2020-06-11"))
    baby = Child(name="Baby Hall", expected_birth=D("2026-05-20"), la_child_id="LA7002")
    return [
        case(
            ev("legal_planning_meeting", "2025-06-02", outcome="pre_proceedings"),
            ev("letter_before_proceedings", "2025-06-04", party="mother"),
            ev("pre_proceedings_meeting", "2025-06-16"),
            ev("review_meeting", "2025-07-21"),
            ev("stepped_down", "2025-09-01", to="child_in_need"),
            reference="C-1",
            children=(kid, no_id),
        ),
        case(
            ev("legal_planning_meeting", "2026-01-12", outcome="pre_proceedings"),
            ev("letter_before_proceedings", "2026-01-14", party="mother", fgdm_offered=False),
            reference="C-2",
            children=(baby,),
        ),
        case(  # started before the year: a finding, not written
            ev("legal_planning_meeting", "2025-02-03", outcome="pre_proceedings"),
            reference="C-0",
            children=(Child(name="Ava Hall", date_of_birth=D("2016-01-01"), la_child_id="LA7003"),),
        ),
    ]


def set_census(app: AppContext) -> None:
    for key in OUTCOME_KEYS:
        app.reports.set_census_outcome(key, "c" if key == "open" else "A")
    app.reports.set_census_la_code("893")


def test_timeliness_matches_the_pure_report(app: AppContext) -> None:
    load(app, list(hm.ALL))
    report = app.reports.timeliness(D("2024-01-01"), D("2024-06-30"))
    expected = timeliness_report(
        hm.ALL, Policy(), WorkingCalendar(), D("2024-01-01"), D("2024-06-30")
    )
    assert report.to_json() == expected.to_json()
    assert report.council.figure("letter_on_time").shortfall == ("PLO-B", "PLO-I")
    assert app.reports.timeliness_case("PLO-D", D("2024-01-01"), D("2024-06-30")).extensions == 1
    with pytest.raises(PloError, match="did not start between"):
        app.reports.timeliness_case("PLO-F", D("2024-01-01"), D("2024-06-30"))


def test_timeliness_uses_the_councils_policy(app: AppContext) -> None:
    load(app, list(hm.ALL))
    app.settings.set_policy_value("letter_due_working_days", 10)
    report = app.reports.timeliness(D("2024-01-01"), D("2024-06-30"))
    assert report.case("PLO-B").letter.status == "on_time"
    assert "10 working days" in report.council.figure("letter_on_time").label


def test_timeliness_argument_checks(app: AppContext) -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        app.reports.timeliness(D("2024-06-30"), D("2024-01-01"))
    with pytest.raises(ValidationError):
        app.reports.timeliness("2024-01-01", D("2024-06-30"))  # type: ignore[arg-type]


def test_census_refuses_until_the_settings_are_set(app: AppContext, tmp_path: Path) -> None:
    load(app, census_cases())
    out = tmp_path / "census.xml"
    with pytest.raises(PloError) as refused:
        app.reports.write_census(out, CENSUS_DATE)
    message = str(refused.value)
    assert "not written" in message
    assert "plo-tracker census-settings set-outcome OUTCOME CODE" in message
    assert "set-la-code" in message
    assert not out.exists()
    # The findings can be seen before the settings are set.
    result = app.reports.census(CENSUS_DATE)
    assert not result.ready
    assert {(f.case, f.rule) for f in result.findings} == {("C-0", "9005"), ("C-1", "LAchildID")}


def test_census_written_owner_only_and_audited(app: AppContext, tmp_path: Path) -> None:
    load(app, census_cases())
    set_census(app)
    assert app.reports.census_settings().code_for("open") == "C"
    out = tmp_path / "census.xml"
    written = app.reports.write_census(out, CENSUS_DATE, serial_no=4, generated_at=AT)
    assert (written.records, written.children) == (2, 2)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    root = ET.fromstring(out.read_bytes())
    assert root.findtext("Header/Source/LEA") == "893"
    assert root.findtext("Header/Source/SerialNo") == "4"
    assert root.findtext("Header/Source/DateTime") == "2026-04-06T09:30:00"
    blocks = {
        c.findtext("ChildIdentifiers/LAchildID"): c.find("CINdetails/PreProceedingsandFGDM")
        for c in root.iter("Child")
    }
    assert set(blocks) == {"LA7001", "LA7002"}  # the unborn baby by its LA child ID
    assert blocks["LA7001"].findtext("PPOutcome") == "A"  # type: ignore[union-attr]
    assert blocks["LA7001"].findtext("ReviewMeetingsCount") == "1"  # type: ignore[union-attr]
    assert blocks["LA7002"].findtext("FGDMMeetingOffer") == "0"  # type: ignore[union-attr]
    assert blocks["LA7002"].findtext("PPOutcome") == "C"  # type: ignore[union-attr]
    with app.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "cin_census")).one()
        assert entry.action == "export" and entry.changes["records"] == 2
        assert entry.changes["left_out"] == 2


def test_census_reference_date_is_31_march(app: AppContext) -> None:
    with pytest.raises(ValidationError, match="31 March"):
        app.reports.census(D("2026-04-30"))


def test_census_settings_are_checked(app: AppContext) -> None:
    with pytest.raises(ValidationError, match="3-digit"):
        app.reports.set_census_la_code("89")
    with pytest.raises(ValidationError, match="no outcome"):
        app.reports.set_census_outcome("adopted", "A")
    with pytest.raises(ValidationError, match="A, B, C"):
        app.reports.set_census_outcome("open", "D")
    settings = app.reports.set_census_outcome("open", " b ")
    assert settings.code_for("open") == "B" and settings.missing_outcomes[0] == "child_protection"
    assert app.settings.get("census.outcome_codes") == {"open": "B"}


def test_roles(app: AppContext, tmp_path: Path) -> None:
    load(app, census_cases())
    set_census(app)
    worker = as_role(app, "social_worker")
    assert worker.reports.census(CENSUS_DATE).written  # may see the findings and report
    assert worker.reports.timeliness(D("2025-01-01"), D("2025-12-31")).cases
    with pytest.raises(PermissionDenied):
        worker.reports.write_census(tmp_path / "x.xml", CENSUS_DATE)
    with pytest.raises(PermissionDenied):
        worker.reports.set_census_outcome("open", "A")
    legal = as_role(app, "legal_liaison")
    with pytest.raises(PermissionDenied):
        legal.reports.write_census(tmp_path / "x.xml", CENSUS_DATE)
    manager = as_role(app, "team_manager")
    manager.reports.set_census_la_code("894")
    assert manager.reports.write_census(tmp_path / "m.xml", CENSUS_DATE).records == 2
    assert not (tmp_path / "x.xml").exists()


def test_report_files(app: AppContext, tmp_path: Path) -> None:
    load(app, list(hm.ALL))
    report = app.reports.timeliness(D("2024-01-01"), D("2024-06-30"))
    for name in ("r.csv", "r.xlsx", "r.json"):
        assert app.reports.export_timeliness(report, tmp_path / name) == 7
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert json.loads((tmp_path / "r.json").read_text())["council"]["figures"][0]["count"] == 7
    with pytest.raises(PloError, match=r"\.csv, \.xlsx or \.json"):
        app.reports.export_timeliness(report, tmp_path / "r.pdf")
    with app.db.read() as session:
        formats = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.entity == "timeliness_report")
        ).all()
    assert sorted(c["format"] for c in formats) == ["csv", "json", "xlsx"]


def test_census_finds_a_later_episode_open_through_the_year(app: AppContext) -> None:
    """Ended, started again before the year, no event in it: still reported (9005)."""
    kid = Child(name="Ava Hall", date_of_birth=D("2016-01-01"), la_child_id="LA7009")
    load(
        app,
        [
            case(
                ev("legal_planning_meeting", "2024-05-06", outcome="pre_proceedings"),
                ev("stepped_down", "2024-08-05", to="child_protection"),
                ev("legal_planning_meeting", "2025-02-03", outcome="pre_proceedings"),
                reference="R-2",
                children=(kid,),
            )
        ],
    )
    result = app.reports.census(CENSUS_DATE)
    assert [(f.case, f.episode, f.rule) for f in result.findings if f.case] == [("R-2", 2, "9005")]
