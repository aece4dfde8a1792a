"""psycopg 3, for team databases.  Its binary implementation (libpq included) is imported
by name; pyinstaller-hooks-contrib's hook for psycopg_binary collects its libraries."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = [*collect_submodules("psycopg"), "psycopg_binary", "psycopg_binary.pq"]
