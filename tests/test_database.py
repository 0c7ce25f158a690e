"""Migrations and models on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import inspect, select

from bot.db.models import UnansweredQuestion, UserProfile
from bot.db.session import make_engine, migrate
from bot.curation_log import scrub


def roundtrip(url: str) -> None:
    migrate(url)
    migrate(url)  # idempotent
    engine = make_engine(url)
    assert {"user_profiles", "unanswered_questions", "alembic_version"} <= set(inspect(engine).get_table_names())
    from sqlalchemy.orm import Session
    with Session(engine) as session, session.begin():
        session.add(UserProfile(user_key="k" * 64, language="uk", bundesland="BY"))
        session.add(UnansweredQuestion(language="de", intent="ask_wages", topic="wages", question="x"))
    with Session(engine) as session:
        profile = session.get(UserProfile, "k" * 64)
        assert profile.language == "uk" and profile.blocked_bot is False and profile.created_at is not None
        assert session.scalars(select(UnansweredQuestion)).one().topic == "wages"
    engine.dispose()


def test_sqlite(tmp_path):
    roundtrip(f"sqlite:///{tmp_path / 'app.db'}")


@pytest.mark.postgres
def test_postgresql(pg_url):
    roundtrip(pg_url)


def test_unanswered_questions_are_scrubbed_of_personal_data():
    text = "Ich heiße Ahmad, Tel 0176 1234567, mail a.b@example.org, seit 03.05.2026 kein Lohn http://x.y/z"
    cleaned = scrub(text)
    for secret in ("Ahmad", "0176", "1234567", "a.b@example.org", "03.05.2026", "http://x.y/z"):
        assert secret not in cleaned
    assert "kein Lohn" in cleaned
