"""Shared fixtures. The real stack (Rasa server + action server) starts once per session, with a
SQLite app database and SQLite tracker store in a temporary directory and Redis as Rasa's lock store."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.db.session import migrate
from bot.settings import Settings

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory):
    return tmp_path_factory.mktemp("wegweiser")


@pytest.fixture(scope="session")
def stack_settings(tmp_root) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_root / 'app.db'}",
                    rasa_tracker_db_url=f"sqlite:///{tmp_root / 'tracker.db'}",
                    rasa_lock_store_url=REDIS_URL)


@pytest.fixture(scope="session")
def stack(stack_settings):
    from bot.stack import running_stack

    migrate(stack_settings.database_url)
    with running_stack(stack_settings) as running:
        yield running


@pytest.fixture(scope="session")
def detector():
    from bot.language_detection import get_detector

    return get_detector()


@pytest.fixture
def pg_url():
    """A fresh schema in the local PostgreSQL test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
