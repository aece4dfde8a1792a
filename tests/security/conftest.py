"""The letters tests' database (examples imported, ready for letters, council details set)."""

from tests.letters.test_cli import db  # noqa: F401 - a fixture, used by name
