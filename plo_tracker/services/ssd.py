"""The Standard Safeguarding Dataset's pre-proceedings extract, from the database to a file
(``plo-tracker report ssd``); the rows are ``reports.ssd``'s."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import write_entry
from db.models import CpPlanImport
from plo_tracker.domain.watch import CpPlan
from plo_tracker.errors import PloError, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.reports.ssd import SSD_FIELDS, SsdExtract, ssd_extract
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.records import cyclic_gc_paused, load_histories
from plo_tracker.services.watch import load_plans
from plo_tracker.spreadsheets import csv_bytes, xlsx_bytes
from plo_tracker.validation import check_arg, shown

FORMATS = ("csv", "xlsx")


class SsdService(Service):
    def extract(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> SsdExtract:
        """One row per child per pre-proceedings period open at any time in the range."""
        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("From", date_from, dt.date, type(None))
        check_arg("To", date_to, dt.date, type(None))
        if date_from is not None and date_to is not None and date_to < date_from:
            raise ValidationError(
                f"The range ends ({date_to.isoformat()}) before it starts "
                f"({date_from.isoformat()}); give the earlier date first."
            )
        with self.db.read() as session, cyclic_gc_paused():
            histories = load_histories(session)
            plans = _imported_plans(session)
        return ssd_extract(histories, date_from, date_to, today(), plans)

    def write(
        self,
        extract: SsdExtract,
        path: Path,
        fmt: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> int:
        """Write the extract to a .csv or .xlsx file (owner-only; audited). Returns the rows."""
        self.actor.require(Permission.VIEW_REPORTS)
        kind = (fmt or path.suffix.lstrip(".")).lower()
        if kind not in FORMATS:
            raise PloError(
                f"Choose a file name ending .csv or .xlsx, not '{shown(path.name, 60)}'."
            )
        values = extract.values()
        if kind == "csv":
            data = csv_bytes(SSD_FIELDS, values)
        else:
            data = xlsx_bytes("ssd_pre_proceedings", SSD_FIELDS, values)
        # The file stands only once its audit entry has committed (else nothing is left).
        path = path.expanduser()
        staged = path.with_name(f".{path.name}.unaudited-{os.getpid()}")
        write_private_file(staged, data)
        try:
            with self.db.write(self.actor.username, notify=False) as session:
                write_entry(
                    session,
                    action="export",
                    entity="ssd_pre_proceedings",
                    changes={
                        "rows": len(values),
                        "from": date_from.isoformat() if date_from else None,
                        "to": date_to.isoformat() if date_to else None,
                        "format": kind,
                        "file": path.name,
                    },
                )
            os.replace(staged, path)
        except OSError as error:
            raise PloError(f"Cannot write {path}: {error.strerror}.") from None
        finally:
            staged.unlink(missing_ok=True)
        log.info("SSD pre-proceedings extract written: %s rows", len(values))
        return len(values)


def _imported_plans(session: Session) -> dict[str, list[CpPlan]] | None:
    """The CP plans of the imported CIN return by child, or None when none was imported."""
    if session.scalar(select(CpPlanImport.id).limit(1)) is None:
        return None
    by_child: dict[str, list[CpPlan]] = {}
    for plan in load_plans(session):
        by_child.setdefault(plan.la_child_id, []).append(plan)
    return by_child
