"""Database layer: SQLAlchemy 2 models, engine/session, Alembic migrations."""
