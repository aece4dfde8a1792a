"""Persistence: every submodule, and the Alembic migrations as files Alembic can run.

Alembic reads ``db:migrations`` (env.py and versions/NNNN_*.py) from the file system and
runs them as source, so they go into the bundle as data, not only as compiled modules.
The modules they import (SQLAlchemy, Alembic's operations, the SQLite and PostgreSQL
dialects) are named here because nothing else imports them by name.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = [
    *collect_submodules("db", filter=lambda name: not name.startswith("db.migrations")),
    *collect_submodules("alembic", filter=lambda name: not name.startswith("alembic.testing")),
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.ext.baked",
]
datas = collect_data_files("db", include_py_files=True, subdir="migrations")
