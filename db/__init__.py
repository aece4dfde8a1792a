"""Persistence for PLO Tracker: ORM mapping, engines and sessions, Alembic migrations.

This package imports nothing from ``plo_tracker`` or ``ui``.
"""
