"""What Help → About and support calls need: the version and the database's schema."""

from __future__ import annotations

from dataclasses import dataclass

from db import migrate
from db.session import Database
from plo_tracker import __version__


@dataclass(frozen=True, slots=True)
class AboutInfo:
    version: str
    schema: str | None  # the database's schema revision (Alembic), None if it has none
    schema_expected: str  # the revision this version of PLO Tracker works with
    database: str  # which database, as the window title names it

    def lines(self) -> list[str]:
        schema = self.schema or "none"
        if self.schema == self.schema_expected:
            schema += " (up to date)"
        else:
            schema += f" (this version expects {self.schema_expected})"
        return [
            f"PLO Tracker version {self.version}",
            f"Database schema revision: {schema}",
            f"Database: {self.database}",
        ]


def about(db: Database) -> AboutInfo:
    with db.translate_errors():
        schema = migrate.current_revision(db.engine)
    return AboutInfo(__version__, schema, migrate.head_revision(), db.display_name)
