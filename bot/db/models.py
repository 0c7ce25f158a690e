"""What Wegweiser stores: as little as possible, keyed by pseudonymous user keys."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


class UserProfile(Base):
    """Per-user settings. `user_key` is an HMAC of the Telegram user id, never the id itself."""
    __tablename__ = "user_profiles"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    language_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy_accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    bundesland: Mapped[str | None] = mapped_column(String(2))
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class UnansweredQuestion(Base):
    """Questions the knowledge base could not answer, scrubbed of personal data, for curators."""
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    language: Mapped[str] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None]
    question: Mapped[str] = mapped_column(Text)
