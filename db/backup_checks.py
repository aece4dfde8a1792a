"""Restore only a backup the app made: its manifest, its checksum and its schema.

``backup`` writes, beside each backup file, ``<file>.manifest.json``: what it is, the
file's size and SHA-256, its schema revision and its row counts. ``restore`` refuses,
before the live database is touched:

* a backup without its manifest, or whose bytes no longer match it (changed after it was
  made: a tampered backup);
* a backup whose schema is not exactly the schema this version of PLO Tracker makes at
  that revision, compared table by table: no table missing or extra, each table with its
  own columns and primary key, and no trigger, view or index beyond the app's own (the
  triggers' and views' SQL compared too). SQLite has no stored functions; an extra
  ``CREATE TRIGGER`` is how a backup could change what later imports do.

The expected schema is made by migrating a new, empty SQLite file in a temporary folder to
the backup's revision (cached per revision).

What the checksum does not do: someone who can rewrite both the backup and its manifest
can make them agree; the schema comparison still refuses any trigger, view or table the app
did not make, so such a backup can only hold the app's own tables and rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from db.errors import StoreError

MANIFEST_FORMAT = "plo-tracker-backup"
MANIFEST_VERSION = 1
MANIFEST_SUFFIX = ".manifest.json"
_READ = 1024 * 1024
_expected: dict[str | None, Schema] = {}


@dataclass(frozen=True, slots=True)
class Schema:
    """A SQLite file's schema: tables (columns and primary key), triggers, views, indexes."""

    tables: dict[str, tuple[tuple[str, int], ...]]
    triggers: dict[str, str]
    views: dict[str, str]
    indexes: dict[str, str]


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(backup: Path, revision: str | None, rows: dict[str, int]) -> Path:
    """Write the manifest of a finished backup (atomically, owner-only)."""
    target = manifest_path(backup)
    document = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "file": backup.name,
        "bytes": backup.stat().st_size,
        "sha256": file_sha256(backup),
        "revision": revision,
        "rows": rows,
        "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _refused(path: Path, why: str) -> StoreError:
    return StoreError(
        f"{path.name} was not restored: {why}. Only a backup made by PLO Tracker's "
        "'backup', unchanged since, can be restored; the database was left untouched."
    )


def check_manifest(path: Path) -> dict[str, object]:
    """The backup's manifest, once the file is known to be the one it describes."""
    manifest = manifest_path(path)
    if not manifest.is_file():
        raise _refused(path, f"it has no manifest ({manifest.name} is missing beside it)")
    try:
        if manifest.stat().st_size > 1024 * 1024:
            raise ValueError("too large")
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        raise _refused(path, f"its manifest {manifest.name} cannot be read") from None
    if (
        not isinstance(document, dict)
        or document.get("format") != MANIFEST_FORMAT
        or document.get("version") != MANIFEST_VERSION
    ):
        raise _refused(path, f"{manifest.name} is not a PLO Tracker backup manifest")
    if document.get("bytes") != path.stat().st_size or document.get("sha256") != file_sha256(path):
        raise _refused(
            path, "it was changed after it was made (its checksum does not match its manifest)"
        )
    return document


def _normal_sql(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().lower()


def schema_of(path: Path) -> Schema:
    uri = path.resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables: dict[str, tuple[tuple[str, int], ...]] = {}
        triggers: dict[str, str] = {}
        views: dict[str, str] = {}
        indexes: dict[str, str] = {}
        for kind, name, sql in rows:
            if kind == "table":
                columns = connection.execute(
                    "SELECT name, pk FROM pragma_table_info(?)", (name,)
                ).fetchall()
                tables[name] = tuple(sorted((str(c), int(pk)) for c, pk in columns))
            elif kind == "trigger":
                triggers[name] = _normal_sql(sql)
            elif kind == "view":
                views[name] = _normal_sql(sql)
            elif kind == "index":
                indexes[name] = _normal_sql(sql)
    return Schema(tables, triggers, views, indexes)


def expected_schema(revision: str | None) -> Schema:
    """The schema PLO Tracker makes at ``revision`` (a new SQLite file, migrated)."""
    if revision in _expected:
        return _expected[revision]
    from db import migrate
    from db.engine import create_store_engine, sqlite_url
    from db.identity import create_sqlite_file

    with tempfile.TemporaryDirectory(prefix="plo-schema-") as folder:
        path = Path(folder) / "expected.db"
        create_sqlite_file(path)
        if revision is not None:
            engine = create_store_engine(sqlite_url(path))
            try:
                migrate.upgrade(engine, revision=revision)
            finally:
                engine.dispose()
        schema = schema_of(path)
    _expected[revision] = schema
    return schema


def _names(kind: str, names: set[str]) -> str:
    listed = ", ".join(sorted(names)[:5]) + (" ..." if len(names) > 5 else "")
    return f"{kind} {listed}"


def schema_problems(found: Schema, expected: Schema) -> list[str]:
    """What differs, table by table, in words (empty: the same schema)."""
    problems: list[str] = []
    extra = set(found.tables) - set(expected.tables)
    missing = set(expected.tables) - set(found.tables)
    if extra:
        problems.append(_names("it has tables PLO Tracker does not make:", extra))
    if missing:
        problems.append(_names("it lacks the tables", missing))
    for name in sorted(set(found.tables) & set(expected.tables)):
        if found.tables[name] != expected.tables[name]:
            problems.append(f"its table {name} does not have PLO Tracker's columns")
    for kind, have, want in (
        ("triggers", found.triggers, expected.triggers),
        ("views", found.views, expected.views),
        ("indexes", found.indexes, expected.indexes),
    ):
        extra = set(have) - set(want)
        changed = {n for n in set(have) & set(want) if have[n] != want[n]}
        if extra:
            problems.append(_names(f"it has {kind} PLO Tracker does not make:", extra))
        if changed:
            problems.append(_names(f"it has changed {kind}:", changed))
        if kind == "triggers" and set(want) - set(have):
            problems.append(_names("it lacks the triggers", set(want) - set(have)))
    return problems


def check_schema(path: Path, revision: str | None) -> None:
    problems = schema_problems(schema_of(path), expected_schema(revision))
    if problems:
        raise _refused(path, "its structure is not PLO Tracker's: " + "; ".join(problems))
