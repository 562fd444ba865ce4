"""A migrated database per test: a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set."""

from tests.dbs import engine, sessions

__all__ = ["engine", "sessions"]
