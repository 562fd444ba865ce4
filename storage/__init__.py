"""Persistence only: SQLAlchemy 2 async models, repositories and Alembic migrations."""
